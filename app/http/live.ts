// The inboxes' live cursor endpoint: ?after=<message id>&wait=<seconds, ≤ 25>.
export async function liveCursorResponse(request: Request, wait: (after: number, waitMs: number) => Promise<number>): Promise<Response> {
  const url = new URL(request.url);
  const after = Math.max(0, Number.parseInt(url.searchParams.get("after") ?? "0", 10) || 0);
  const seconds = Math.max(0, Math.min(25, Number.parseInt(url.searchParams.get("wait") ?? "0", 10) || 0));
  const latest = await wait(after, seconds * 1000);
  return new Response(JSON.stringify({ latest }), { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
