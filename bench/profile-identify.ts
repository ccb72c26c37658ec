// Where identify's (or, with LOAD=webhooks, signed webhooks'; LOAD=events, event posts') time goes: seeds a fresh 100k-contact database, drives the server with the
// bench's identify load and prints req/s, p99 and the server's CPU time per request (steadier than
// req/s on a noisy machine). `npx tsx bench/profile-identify.ts` after `npm run build`. Options:
// PROFILE=1 writes V8 CPU profiles to /tmp/prof (Chrome DevTools); THREADS=1 prints CPU per thread;
// SERVER_ROOT=<checkout> runs another checkout's build on the same load (A/B, alternate the runs);
// PIN=<cpu> pins the server to one CPU; PROFILE_DIR puts the database elsewhere (/dev/shm); SERVER_LOG=<file>
// keeps the server's stdout; SERVER_NODE_ARGS adds node flags (--trace-gc: its GC pauses).
// DATABASE=postgresql runs it on a fresh PostgreSQL database and adds PostgreSQL's CPU per request.
// CONNECTIONS (default 50, as in the bench) sets the load generator's concurrency; WARMUP=<s> runs identify first, unmeasured.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import autocannon from "autocannon";

import { execFileSync } from "node:child_process";
import { seedBench } from "./seed";
import { seedBenchPostgres } from "./seed-postgres";
import { scratchDatabase, type ScratchDatabase } from "./scratch-postgres";
import { serverEntry } from "./server-entry";
import { benchServerEnv, cpuTicks, waitUntilUp } from "./server-env";
import { sha256Hex } from "../app/apps/secrets";

const DIR = process.env.PROFILE_DIR ?? "/tmp/convot-profile";
const DB = `${DIR}/bench.sqlite`;
const BENCH_APP = {
  publicKey: "app_BenchApp000000000001",
  identitySecret: "b".repeat(64),
  apiKeyId: "BenchKey00000001",
  apiKeyHash: sha256Hex("BenchSecret000000000000000000001"),
};
// DATABASE=postgresql: the same seed in a database of its own on the local server, dropped at the end.
const ON_POSTGRES = process.env.DATABASE === "postgresql";
let databaseUrl = `file:${DB}`;
let scratch: ScratchDatabase | null = null;
if (ON_POSTGRES) {
  scratch = await scratchDatabase(`convot_profile_${process.pid}`);
  databaseUrl = scratch.url;
  await seedBenchPostgres(databaseUrl, BENCH_APP, 100_000);
} else {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
  seedBench(DB, BENCH_APP, 100_000);
}
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 50);
const SECONDS = Number(process.env.SECONDS ?? 8);
const port = 3990;
const base = `http://127.0.0.1:${port}`;
const server = spawn(
  process.env.PIN ? "taskset" : process.execPath,
  [
    ...(process.env.PIN ? ["-c", process.env.PIN, process.execPath] : []),
    ...(process.env.PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
    ...(process.env.SERVER_NODE_ARGS?.split(" ") ?? []),
    serverEntry(process.env.SERVER_ROOT ?? process.cwd()),
  ],
  {
    cwd: process.env.SERVER_ROOT ?? process.cwd(),
    env: benchServerEnv(port, databaseUrl),
    stdio: ["ignore", process.env.SERVER_LOG ? fs.openSync(process.env.SERVER_LOG, "w") : "ignore", "inherit"],
  },
);
await waitUntilUp(base);
// The server's CPU time (user + system, in clock ticks of 10 ms) — per request, steadier than req/s on a noisy machine.
const serverCpu = () => cpuTicks(server.pid!);
/** Every PostgreSQL process's CPU time on this machine (backends, WAL writer…), in clock ticks. */
const postgresCpu = () =>
  fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .reduce((sum, pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return stat.includes("(postgres)") ? sum + cpuTicks(Number(pid)) : sum;
      } catch {
        return sum; // gone meanwhile
      }
    }, 0);
const loadCpu = () => process.cpuUsage();
let cpuStart = serverCpu();
let postgresStart = postgresCpu();
let loadStart = loadCpu();
const peakRss = () => /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${server.pid}/status`, "utf8"))?.[1];
const perRequest = (requests: number) => {
  const load = loadCpu();
  const loadUs = (load.user + load.system - loadStart.user - loadStart.system) / requests;
  return (
    `${(((serverCpu() - cpuStart) * 10_000) / requests).toFixed(0)} µs CPU/request, peak RSS ${Math.round(Number(peakRss()) / 1024)} MB` +
    (ON_POSTGRES ? `; PostgreSQL ${(((postgresCpu() - postgresStart) * 10_000) / requests).toFixed(0)} µs CPU/request` : "") +
    `; load generator ${loadUs.toFixed(0)} µs CPU/request`
  );
};
const bodies = Array.from({ length: 20000 }, (_, i) => {
  const shop = `shop-${1 + Math.floor(Math.random() * 100000)}.myshopify.com`;
  return JSON.stringify({
    app_id: "app_BenchApp000000000001",
    external_id: shop,
    user_hash: createHmac("sha256", "b".repeat(64)).update(shop).digest("hex"),
    name: `Owner of ${shop}`,
    custom_data: { plan: ["free", "pro", "plus"][i % 3], app_version: i % 2 ? "2.4.1" : "2.5.0", active: true },
  });
});
let b = 0;
/** For the LOAD=webhooks and LOAD=events runs: prints their line, stops the server, exits. */
async function reportAndStop(line: string): Promise<never> {
  console.log(line);
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
  await scratch?.drop();
  process.exit(0);
}
if (process.env.LOAD === "webhooks") {
  const { webhookDelivery } = await import("../scripts/lib/shopify-webhook");
  let current: ReturnType<typeof webhookDelivery>;
  const statuses = ["ACTIVE", "FROZEN", "ACTIVE", "CANCELLED"];
  const hooks = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        setupRequest: (req) => {
          b++;
          const at = new Date(Date.UTC(2026, 0, 1) + b * 1000).toISOString();
          current = webhookDelivery({
            topic: "app_subscriptions/update",
            shop: `hook-${b % 1000}.myshopify.com`,
            secret: "s".repeat(32),
            apiVersion: "2026-10",
            payload: {
              app_subscription: {
                admin_graphql_api_id: `gid://shopify/AppSubscription/${b % 1000}`,
                name: ["Pro", "Plus"][b % 2],
                status: statuses[(b >> 1) % 4],
                created_at: at,
                updated_at: at,
              },
            },
          });
          return { ...req, path: current.path, body: current.body, headers: { ...req.headers, ...current.headers } };
        },
      },
    ],
  });
  await reportAndStop(
    `webhooks ${Math.round(hooks.requests.average)} req/s p99 ${hooks.latency.p99} non2xx ${hooks.non2xx}, ${perRequest(hooks.requests.total)}`,
  );
}
if (process.env.LOAD === "events") {
  const events = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: SECONDS,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json", authorization: "Bearer ck_BenchKey00000001:BenchSecret000000000000000000001" },
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/contacts/${1 + Math.floor(Math.random() * 100000)}/events`,
          body: JSON.stringify({ name: "feature_enabled", properties: { feature: "chat", count: 1 } }),
        }),
      },
    ],
  });
  await reportAndStop(
    `events ${Math.round(events.requests.average)} req/s p50 ${events.latency.p50} p99 ${events.latency.p99} non2xx ${events.non2xx}, ${perRequest(events.requests.total)}`,
  );
}
const identifyLoad = (duration: number) =>
  autocannon({
    url: base,
    connections: CONNECTIONS,
    duration,
    requests: [
      {
        method: "POST",
        headers: { "content-type": "application/json" },
        setupRequest: (req) => {
          b++;
          return {
            ...req,
            path: "/api/v1/identify",
            body: bodies[b % bodies.length],
            headers: { ...req.headers, "x-forwarded-for": `10.${(b >> 16) & 255}.${(b >> 8) & 255}.${b & 255}` },
          };
        },
      },
    ],
  });
// WARMUP=<s>: identify load before the measured one (as the bench's warm-up): the first call for each
// contact renames it (the seed's names differ), later ones change no contact field.
const WARMUP = Number(process.env.WARMUP ?? 0);
if (WARMUP) {
  await identifyLoad(WARMUP);
  cpuStart = serverCpu();
  postgresStart = postgresCpu();
  loadStart = loadCpu();
}
const result = await identifyLoad(SECONDS);
if (process.env.THREADS)
  for (const tid of fs.readdirSync(`/proc/${server.pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${server.pid}/task/${tid}/stat`, "utf8");
    const name = stat.slice(stat.indexOf("(") + 1, stat.indexOf(")"));
    const ticks = stat
      .split(") ")[1]
      .split(" ")
      .slice(11, 13)
      .reduce((a, b) => a + Number(b), 0);
    if (ticks > 10) console.log(`  thread ${name}: ${ticks * 10} ms CPU`);
  }
console.log(
  `identify ${Math.round(result.requests.average)} req/s p50 ${result.latency.p50} p90 ${result.latency.p90} p99 ${result.latency.p99} max ${result.latency.max} non2xx ${result.non2xx}, ${perRequest(result.requests.total)}`,
);
server.kill("SIGTERM");
await new Promise((r) => server.on("exit", r));
await scratch?.drop();
if (process.env.PROFILE) console.log(fs.readdirSync("/tmp/prof"));
