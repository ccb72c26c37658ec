// In-process cost of authenticate.webhook on a delivery as a server receives it (Shopify's
// headers plus a proxy's and the client's), handed the whole request or only Shopify's headers
// (app/http/webhook.server.ts). `npx tsx bench/micro-webhook-auth.ts` — a profiling tool, not a goal.
import "@shopify/shopify-app-remix/adapters/node";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { ApiVersion, shopifyApp } from "@shopify/shopify-app-remix/server";
import type { Session } from "@shopify/shopify-api";
import { webhookDelivery } from "../scripts/lib/shopify-webhook";

const SECRET = "s".repeat(32);
const DB = "/tmp/convot-micro-webhook.sqlite";
fs.rmSync(DB, { force: true });
execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${DB}` }, stdio: "ignore" });
Object.assign(process.env, {
  NODE_ENV: "production",
  DATABASE_URL: `file:${DB}`,
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: SECRET,
  SHOPIFY_APP_URL: "http://127.0.0.1:1",
  DEMO_MODE: "false",
  CONVOT_APP_KEY: "app_BenchShopifyApp0001",
  CONVOT_IDENTITY_SECRET: "c".repeat(64),
  SESSION_SECRET: "bench-session-secret-0123456789abcdef",
});
const { shopifyOnly } = await import("../app/http/webhook.server");
const noSessions = {
  storeSession: async () => true,
  loadSession: async (): Promise<Session | undefined> => undefined,
  deleteSession: async () => true,
  deleteSessions: async () => true,
  findSessionsByShop: async () => [],
};
const shopify = shopifyApp({
  apiKey: "bench",
  apiSecretKey: SECRET,
  appUrl: "http://127.0.0.1:1",
  apiVersion: ApiVersion.October26,
  scopes: ["read_themes"],
  sessionStorage: noSessions,
  isEmbeddedApp: true,
  logger: { level: 0 },
});

// What reaches the app behind a typical proxy: Shopify's headers, the client's, the proxy's.
const extra = {
  Host: "convot.example",
  "Content-Length": "0",
  Accept: "*/*",
  "Accept-Encoding": "gzip",
  Connection: "keep-alive",
  "X-Forwarded-For": "34.1.2.3",
  "X-Forwarded-Proto": "https",
  "X-Forwarded-Host": "convot.example",
  "X-Request-Id": "f7c1",
  Via: "1.1 proxy",
};
const requests = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const d = webhookDelivery({
      topic: "app_subscriptions/update",
      shop: `hook-${i % 1000}.myshopify.com`,
      secret: SECRET,
      apiVersion: "2026-10",
      payload: { app_subscription: { name: "Pro", status: "ACTIVE", updated_at: new Date().toISOString() } },
    });
    return new Request(`http://127.0.0.1${d.path}`, {
      method: "POST",
      headers: { ...extra, ...d.headers, "Content-Length": String(Buffer.byteLength(d.body)) },
      body: d.body,
    });
  });

const N = Number(process.env.N ?? 5000);
for (let round = 0; round < 4; round++) {
  for (const [label, prepare] of [
    ["whole request", (r: Request) => r],
    ["Shopify's headers only", shopifyOnly],
  ] as const) {
    const batch = requests(N);
    const started = process.hrtime.bigint();
    for (const request of batch) await shopify.authenticate.webhook(prepare(request));
    const micros = Number(process.hrtime.bigint() - started) / 1000 / N;
    console.log(`round ${round + 1}  ${label.padEnd(24)} ${micros.toFixed(1)} µs per delivery`);
  }
}
process.exit(0);
