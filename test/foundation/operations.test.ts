// What an operator of the server sees: health checks, a JSON access log with request ids, and
// Prometheus metrics behind a token (docs/decisions/022).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import Database from "better-sqlite3";
import { webhookDelivery } from "../../scripts/lib/shopify-webhook";
import { readTomlApiVersion } from "../../scripts/lib/app-toml";
import { request } from "../support/app";
import { ENGINE } from "../support/database";
import { startServer, type RunningServer } from "../support/server";

const METRICS_TOKEN = "test-metrics-token-0123456789";
const API_KEY = process.env.CONVOT_API_KEY!;

/** The server's JSON log lines (other output, such as a library's warning, is skipped). */
function logLines(server: RunningServer): Record<string, unknown>[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

/** Waits for the log to hold a line matching `where` (the log is written a moment after the response). */
async function logLine(server: RunningServer, where: (line: Record<string, unknown>) => boolean) {
  for (let i = 0; i < 50; i++) {
    const found = logLines(server).find(where);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no such log line in:\n${server.output()}`);
}

/** One sample's value from Prometheus' text format. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const present = (match[2] ?? "").split(",");
    if (wanted.every((label) => present.includes(label))) return Number(match[3]);
  }
  return undefined;
}

describe(`operating the server (${ENGINE})`, () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ METRICS_TOKEN, LOG_LEVEL: "info" });
  });
  afterAll(() => server?.stop());

  const metrics = async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    return res.text();
  };

  it("answers /healthz while up and /readyz once the database answers with every migration applied", async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ready: true, draining: false, database: "ok", migrations: "applied" });
  });

  it("gives every request an id, keeps a sane one the client sent, and logs one JSON line per request", async () => {
    const generated = await fetch(`${server.url}/api/v1/contacts/12345?email=x%40example.com`, { headers: { Authorization: "Bearer ck_nope:nope" } });
    expect(generated.status).toBe(401);
    const id = generated.headers.get("x-request-id")!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${server.url}/console/login`, { headers: { "X-Request-Id": "lb-7f3a.42" } });
    expect(kept.headers.get("x-request-id")).toBe("lb-7f3a.42");
    const replaced = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "<script> or a line\tbreak" } });
    expect(replaced.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);

    // The route's pattern and the path without its query, never the query (emails, tokens).
    expect(await logLine(server, (line) => line.requestId === id)).toMatchObject({
      msg: "request",
      method: "GET",
      path: "/api/v1/contacts/12345",
      route: "/api/v1/contacts/:id",
      status: 401,
      ms: expect.any(Number),
    });
    // A page, served by Remix rather than directly, is logged the same way.
    expect(await logLine(server, (line) => line.requestId === "lb-7f3a.42")).toMatchObject({
      path: "/console/login",
      route: "/console/login",
      status: 200,
    });
    expect(server.output()).not.toContain("x%40example.com");
  });

  it("serves /metrics only to the token's bearer", async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: "Bearer wrong-token-0123456789abc" } })).status).toBe(401);
    // Without METRICS_TOKEN (the suite's own environment) there is no such endpoint.
    expect((await request("/metrics", { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(404);
  });

  it("reports request durations by route pattern, requests in flight, pool usage and webhook outcomes", async () => {
    for (const id of [1, 2, 3]) await fetch(`${server.url}/api/v1/contacts/${id}`, { headers: { Authorization: `Bearer ${API_KEY}` } });
    const shop = `metrics-${Date.now()}.myshopify.com`;
    const delivery = webhookDelivery({
      topic: "app/uninstalled",
      shop,
      secret: process.env.SHOPIFY_API_SECRET!,
      apiVersion: readTomlApiVersion(),
      payload: { myshopify_domain: shop },
    });
    const deliver = (body = delivery.body) =>
      fetch(`${server.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body }).then((res) => res.status);
    expect(await deliver()).toBe(200);
    expect(await deliver()).toBe(200); // Shopify's retry of the same delivery
    expect(await deliver('{"forged":true}')).toBe(401);

    const text = await metrics();
    expect(sample(text, "convot_http_request_duration_seconds_count", { route: "/api/v1/contacts/:id", method: "GET", status: "404" })).toBe(3);
    expect(text).not.toMatch(/route="\/api\/v1\/contacts\/\d/);
    expect(sample(text, "convot_http_requests_in_flight")).toBe(1); // this scrape
    expect(sample(text, "convot_db_pool_connections", { state: "total" })).toBeGreaterThanOrEqual(1);
    expect(sample(text, "convot_db_pool_connections", { state: "waiting" })).toBe(0);
    expect(sample(text, "convot_webhook_deliveries_total", { topic: "app/uninstalled", outcome: "processed" })).toBe(1);
    expect(sample(text, "convot_webhook_deliveries_total", { topic: "app/uninstalled", outcome: "duplicate" })).toBe(1);
    expect(sample(text, "convot_webhook_deliveries_total", { topic: "app/uninstalled", outcome: "rejected" })).toBe(1);
    expect(sample(text, "nodejs_eventloop_lag_seconds")).toBeGreaterThanOrEqual(0);
  });

  it("counts the widget's waiting long-polls while they wait", async () => {
    const session = await fetch(`${server.url}/api/v1/widget/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ app_id: process.env.CONVOT_APP_KEY, host: server.url }),
    });
    const { visitor_token: token } = await session.json();
    const leave = new AbortController();
    const poll = fetch(`${server.url}/api/v1/widget/messages?wait=25`, { headers: { Authorization: `Bearer ${token}` }, signal: leave.signal }).catch(
      () => null,
    );
    let waiting: number | undefined;
    for (let i = 0; i < 100 && waiting !== 1; i++) waiting = sample(await metrics(), "convot_long_poll_waiters", { endpoint: "widget" });
    expect(waiting).toBe(1);
    leave.abort();
    await poll;
    for (let i = 0; i < 100 && waiting !== 0; i++) waiting = sample(await metrics(), "convot_long_poll_waiters", { endpoint: "widget" });
    expect(waiting).toBe(0);
  });

  it("puts the request id on the error line of a request that fails unexpectedly", async () => {
    const created = await fetch(`${server.url}/api/v1/contacts`, {
      method: "POST",
      headers: { Authorization: `Bearer ${API_KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ external_id: `broken-${Date.now()}` }),
    });
    const contact = await created.json();
    // The database loses a table under the running server: the next read of it fails.
    if (ENGINE === "postgresql") {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      await client.query(`DROP TABLE "ContactEvent" CASCADE`);
      await client.end();
    } else {
      const db = new Database(process.env.DATABASE_URL!.slice("file:".length));
      db.exec(`DROP TABLE "ContactEvent"`);
      db.close();
    }
    const failed = await fetch(`${server.url}/api/v1/contacts/${contact.id}/events`, {
      headers: { Authorization: `Bearer ${API_KEY}`, "X-Request-Id": "trace-failing-1" },
    });
    expect(failed.status).toBe(500);
    expect(failed.headers.get("x-request-id")).toBe("trace-failing-1");
    const error = await logLine(server, (line) => line.requestId === "trace-failing-1" && line.level === 50);
    expect(error).toMatchObject({
      msg: "api request failed",
      path: `/api/v1/contacts/${contact.id}/events`,
      err: { message: expect.stringMatching(/ContactEvent/) },
    });
  });
});
