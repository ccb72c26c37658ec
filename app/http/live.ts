// The inboxes' live cursor endpoint: ?after=<message id>&wait=<seconds, ≤ 25>.
import { wholeNumberOr } from "./query-numbers";

export async function liveCursorResponse(request: Request, wait: (after: number, waitMs: number) => Promise<number>): Promise<Response> {
  const url = new URL(request.url);
  const after = wholeNumberOr(url.searchParams, "after", { min: 0, max: Number.MAX_SAFE_INTEGER, fallback: 0 });
  const seconds = wholeNumberOr(url.searchParams, "wait", { min: 0, max: 25, fallback: 0 });
  const latest = await wait(after, seconds * 1000);
  return new Response(JSON.stringify({ latest }), { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
