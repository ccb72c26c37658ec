import { checkReadiness } from "../ops/health.server";

// GET /readyz: 200 when this instance should get traffic (database reachable, migrations applied), else 503 saying why.
export const loader = async () => {
  const readiness = await checkReadiness();
  return new Response(JSON.stringify(readiness), {
    status: readiness.ready ? 200 : 503,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
};
