// Who may read /metrics: a bearer of METRICS_TOKEN. Without one configured the endpoint does not exist.
import { timingSafeEqual } from "node:crypto";
import { env } from "../env.server";

export function requireMetricsToken(request: Request): void {
  const expected = env.METRICS_TOKEN;
  if (!expected) throw new Response("Not Found", { status: 404 });
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  const given = Buffer.from(match?.[1] ?? "");
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
}
