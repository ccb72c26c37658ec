// How many round trips to PostgreSQL one request makes, by route: counts node-postgres queries
// (each one round trip; a multi-statement message counts once) while the built app's actions run
// in process on a fresh database; TRACE=1 prints the statements of each kind's last request. `npx tsx bench/count-round-trips.ts` after `npm run build`.
// Prints; asserts nothing. POSTGRES_URL names a server where it may create a database.
import { createHmac } from "node:crypto";
import pg from "pg";
import { benchServerEnv } from "./server-env";
import { scratchDatabase } from "./scratch-postgres";
import { seedBenchPostgres } from "./seed-postgres";
import { sha256Hex } from "../app/apps/secrets";
import { directRequest } from "../server/direct.ts";
import { operationsOf } from "../server/build.ts";
import { webhookDelivery } from "../scripts/lib/shopify-webhook";

const APP = {
  publicKey: "app_BenchApp000000000001",
  identitySecret: "b".repeat(64),
  apiKeyId: "BenchKey00000001",
  apiKeySecret: "BenchSecret000000000000000000001",
};
const SECRET = "s".repeat(32);
const database = await scratchDatabase(`convot_round_trips_${process.pid}`);
let build: { entry?: unknown; routes: Record<string, { module: { action: (args: unknown) => Promise<Response> } }> } | null = null;
try {
  await seedBenchPostgres(database.url, { ...APP, apiKeyHash: sha256Hex(APP.apiKeySecret) }, 1000);
  Object.assign(process.env, benchServerEnv(1, database.url, { SHOPIFY_API_SECRET: SECRET }));
  let queries = 0;
  const query = pg.Client.prototype.query;
  // TRACE=1 prints each round trip's statement.
  let tracing = false;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    queries++;
    if (tracing) {
      const text = typeof args[0] === "string" ? args[0] : (args[0] as { text?: string }).text;
      console.log(`    ${String(text).replace(/\s+/g, " ").slice(0, 160)}`);
    }
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query;
  build = await import("../build/index.js" as string);
  const action = (route: string) => build!.routes[route].module.action;
  async function count(label: string, calls: number, call: (i: number) => Promise<Response>) {
    for (let i = 0; i < 3; i++) await call(1000 + i); // warm: connections, caches
    queries = 0;
    for (let i = 0; i < calls; i++) {
      tracing = Boolean(process.env.TRACE) && i === calls - 1;
      const response = await call(i);
      tracing = false;
      if (response.status >= 300) throw new Error(`${label} answered ${response.status}: ${await response.text()}`);
    }
    console.log(`  ${label.padEnd(58)} ${(queries / calls).toFixed(1)} round trips/request`);
  }
  const post = (path: string, body: string, headers: Record<string, string>) =>
    directRequest(
      new URL(`http://127.0.0.1${path}`),
      "POST",
      new Headers({ "content-type": "application/json", "x-convot-peer": "127.0.0.1", ...headers }),
      Buffer.from(body),
    );
  const identifyBody = (i: number, name: string) => {
    const shop = `shop-${1 + (i % 1000)}.myshopify.com`;
    return JSON.stringify({
      app_id: APP.publicKey,
      external_id: shop,
      user_hash: createHmac("sha256", APP.identitySecret).update(shop).digest("hex"),
      name,
      custom_data: { plan: ["free", "pro"][i % 2], active: true },
    });
  };
  const identify = action("routes/api.v1.identify");
  const from = (i: number) => ({ "x-forwarded-for": `10.1.${(i >> 8) & 255}.${i & 255}` });
  console.log("PostgreSQL round trips per request (in process, one at a time):");
  await count("identify, a known contact, values change", 100, (i) =>
    identify({ request: post("/api/v1/identify", identifyBody(i, `Owner ${i}`), from(i)), params: {}, context: {} }),
  );
  await count("identify, a known contact, nothing changes", 100, (i) =>
    identify({ request: post("/api/v1/identify", identifyBody(i, `Owner ${i}`), from(i)), params: {}, context: {} }),
  );
  const fresh = (i: number) => {
    const id = `new-${i}-${process.pid}`;
    return JSON.stringify({
      app_id: APP.publicKey,
      external_id: id,
      user_hash: createHmac("sha256", APP.identitySecret).update(id).digest("hex"),
      name: id,
    });
  };
  await count("identify, a new contact", 50, (i) => identify({ request: post("/api/v1/identify", fresh(i), from(i)), params: {}, context: {} }));
  const events = action("routes/api.v1.contacts.$id.events");
  await count("POST /api/v1/contacts/:id/events", 100, (i) =>
    events({
      request: post(`/api/v1/contacts/${1 + (i % 1000)}/events`, JSON.stringify({ name: "feature_enabled" }), {
        authorization: `Bearer ck_${APP.apiKeyId}:${APP.apiKeySecret}`,
      }),
      params: { id: String(1 + (i % 1000)) },
      context: {},
    }),
  );
  const subscriptions = action("routes/webhooks.app_subscriptions.update");
  await count("webhook app_subscriptions/update, a fresh delivery", 100, (i) => {
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    const delivery = webhookDelivery({
      topic: "app_subscriptions/update",
      shop: `hook-${i % 50}.myshopify.com`,
      secret: SECRET,
      apiVersion: "2026-10",
      payload: {
        app_subscription: {
          admin_graphql_api_id: `gid://shopify/AppSubscription/${i % 50}`,
          name: "Pro",
          status: ["ACTIVE", "FROZEN"][i % 2],
          created_at: at,
          updated_at: at,
        },
      },
    });
    return subscriptions({ request: post(delivery.path, delivery.body, delivery.headers), params: {}, context: {} });
  });
} finally {
  if (build) await operationsOf(build).closeDatabases();
  await database.drop();
  process.exit(0);
}
