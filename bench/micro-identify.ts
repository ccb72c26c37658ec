// In-process cost of the identify path without HTTP: seeds a fresh 100k-contact database, then
// times the domain's identify (and, separately, the route's action through a web Request) for
// the bench's bodies. `npx tsx bench/micro-identify.ts` — a tool for profiling, not a goal.
// `ENGINE=postgresql` runs it on a PostgreSQL database of its own (POSTGRES_URL's server).
import { createHmac } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { scratchDatabase } from "./scratch-postgres";
import { seedBench, PLANS } from "./seed";
import { seedBenchPostgres } from "./seed-postgres";
import { sha256Hex } from "../app/apps/secrets";
import { directRequest } from "../server/direct.ts";
import { benchServerEnv } from "./server-env";

const DIR = "/tmp/convot-micro";
const DB = `${DIR}/bench.sqlite`;
const POSTGRES = process.env.ENGINE === "postgresql";
fs.rmSync(DIR, { recursive: true, force: true });
fs.mkdirSync(DIR, { recursive: true });
const APP = {
  publicKey: "app_BenchApp000000000001",
  identitySecret: "b".repeat(64),
  apiKeyId: "BenchKey00000001",
  apiKeyHash: sha256Hex("BenchSecret000000000000000000001"),
};
let DATABASE_URL = `file:${DB}`;
if (POSTGRES) DATABASE_URL = (await scratchDatabase("convot_micro")).url;
else execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL }, stdio: "ignore" });
if (POSTGRES) await seedBenchPostgres(DATABASE_URL, APP, 100_000);
else seedBench(DB, APP, 100_000);
Object.assign(process.env, benchServerEnv(1, DATABASE_URL));
const { findAppByPublicKey } = await import("../app/apps/apps.server");
const { identify } = await import("../app/contacts/identify.server");
const app = (await findAppByPublicKey(APP.publicKey))!;
const bodies = Array.from({ length: 20_000 }, (_, i) => {
  const shop = `shop-${1 + Math.floor(Math.random() * 100_000)}.myshopify.com`;
  return {
    app_id: APP.publicKey,
    external_id: shop,
    user_hash: createHmac("sha256", APP.identitySecret).update(shop).digest("hex"),
    name: `Owner of ${shop}`,
    custom_data: { plan: PLANS[i % 3], app_version: i % 2 ? "2.4.1" : "2.5.0", active: true },
  };
});
const N = Number(process.env.N ?? 20_000);
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < N; i++) await identify(app, { ...bodies[i % bodies.length] });
  const us = ((performance.now() - t) * 1000) / N;
  console.log(`domain identify: ${us.toFixed(1)} µs/call (${Math.round(1e6 / us)}/s), round ${round + 1}`);
}
// The same through the route's action, with the Request the server builds (directRequest: the body as RAW_BODY).
const build = await import("../build/index.js" as string);
const action = build.routes["routes/api.v1.identify"].module.action;
const IDENTIFY_URL = new URL("http://127.0.0.1/api/v1/identify");
const texts = bodies.map((body) => Buffer.from(JSON.stringify(body)));
async function callAction(i: number, subnet: number) {
  const headers = new Headers({
    "content-type": "application/json",
    "x-forwarded-for": `10.${subnet}.${(i >> 8) & 255}.${i & 255}`,
    "x-convot-peer": "127.0.0.1",
  });
  const request = directRequest(IDENTIFY_URL, "POST", headers, texts[(i + subnet * 7) % texts.length]);
  const response = await action({ request, params: {}, context: {} });
  if (response.status !== 200) throw new Error(`answered ${response.status}`);
}
// (Fewer calls per round, each in a window of its own: the app's rate limit allows 10,000 per 2 s, ADR 021.)
const M = Math.min(N, 6000);
async function round(label: string, subnet: number, concurrency: number) {
  await new Promise((resolve) => setTimeout(resolve, 2100));
  const t = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < M) await callAction(next++, subnet);
    }),
  );
  const us = ((performance.now() - t) * 1000) / M;
  console.log(`${label.padEnd(16)} ${us.toFixed(1)} µs/call (${Math.round(1e6 / us)}/s)`);
}
for (let r = 1; r <= 3; r++) await round(`route action ${r}:`, r, 1);
// And 50 at a time, as 50 connections keep 50 requests in flight.
for (let r = 1; r <= 2; r++) await round(`action ×50 ${r}:`, 10 + r, 50);
if (!POSTGRES) console.log(`WAL ${(fs.statSync(`${DB}-wal`).size / 1e6).toFixed(1)} MB`);
process.exit(0);
