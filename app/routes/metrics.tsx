import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireMetricsToken } from "../ops/metrics-access.server";
import { metricsContentType, metricsText } from "../ops/metrics.server";

// GET /metrics: Prometheus' text format, for a scraper holding METRICS_TOKEN (404 when none is set).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireMetricsToken(request);
  return new Response(await metricsText(), { headers: { "Content-Type": metricsContentType, "Cache-Control": "no-store" } });
};
