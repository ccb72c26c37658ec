// The Prometheus metrics /metrics serves (prom-client): request durations by route, requests in
// flight, webhook outcomes, long-poll waiters, database pool usage, job runs, and Node's own
// (event-loop lag, heap, GC). Labels take values from short fixed lists, never from raw URLs.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { sql } from "../db.server";

// A registry of this module's own (not prom-client's global one): a test process loads the app's
// modules and the server build side by side, and a name registered twice in one registry throws.
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

const requestDuration = new Histogram({
  name: "convot_http_request_duration_seconds",
  help: "Time from a request's arrival to its response's end (or its client leaving), by route pattern",
  labelNames: ["method", "route", "status"] as const,
  // Up to the long-polls' 25 s.
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

const requestsInFlight = new Gauge({
  name: "convot_http_requests_in_flight",
  help: "Requests arrived and not yet answered (long-polls included)",
  registers: [registry],
});

const webhookDeliveries = new Counter({
  name: "convot_webhook_deliveries_total",
  help: "Shopify webhook deliveries by topic and outcome: processed, duplicate (already processed), failed (answered 500), rejected (signature)",
  labelNames: ["topic", "outcome"] as const,
  registers: [registry],
});

export const longPollWaiters = new Gauge({
  name: "convot_long_poll_waiters",
  help: "Long-polls waiting for news: the widget's messages, the inboxes' live cursors",
  labelNames: ["endpoint"] as const,
  registers: [registry],
});

new Gauge({
  name: "convot_db_pool_connections",
  help: "The database pool's connections: total, idle, and requests waiting for one (SQLite: the one writer connection and the units queued for it)",
  labelNames: ["state"] as const,
  registers: [registry],
  collect() {
    const usage = sql.poolUsage();
    this.set({ state: "total" }, usage.total);
    this.set({ state: "idle" }, usage.idle);
    this.set({ state: "waiting" }, usage.waiting);
  },
});

const jobRuns = new Counter({
  name: "convot_job_runs_total",
  help: "Periodic job runs on this instance, by job and outcome",
  labelNames: ["job", "outcome"] as const,
  registers: [registry],
});

export function requestStarted(): void {
  requestsInFlight.inc();
}

/** `route` is a route pattern (/api/v1/contacts/:id), "static" or "unmatched": never the raw path. */
export function requestFinished(method: string, route: string, status: number, seconds: number): void {
  requestsInFlight.dec();
  requestDuration.observe({ method: KNOWN_METHODS.has(method) ? method : "other", route, status: String(status) }, seconds);
}

export type WebhookOutcome = "processed" | "duplicate" | "failed" | "rejected";

export function recordWebhookOutcome(topic: string, outcome: WebhookOutcome): void {
  webhookDeliveries.inc({ topic, outcome });
}

/** One run of a periodic job (the scheduler calls it as each run ends). */
export function recordJobRun(name: string, outcome: "succeeded" | "failed"): void {
  jobRuns.inc({ job: name, outcome });
}

export const metricsContentType = registry.contentType;
export const metricsText = (): Promise<string> => registry.metrics();
