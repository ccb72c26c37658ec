// GET /healthz: the process is up and serving (a liveness probe; draining too, so it is not killed mid-drain).
export const loader = () =>
  new Response(JSON.stringify({ status: "ok" }), { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
