// `npm run bench`: seeds 100,000 contacts on SQLite, drives the built server with autocannon
// and prints the figures the issues set goals for. Nothing here asserts: it measures.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { seedBench, PLANS } from "./seed";
import { seedBenchPostgres } from "./seed-postgres";
import { sha256Hex } from "../app/apps/secrets";
import { webhookDelivery } from "../scripts/lib/shopify-webhook";
import { measureWidgetLoad } from "./widget-load";
import { measureLighthouse } from "./lighthouse";
import { benchServerEnv } from "./server-env";
import { POSTGRES_ADMIN_URL, scratchDatabase, type ScratchDatabase } from "./scratch-postgres";

const ROOT = path.resolve(import.meta.dirname, "..");
const DIR = path.join(os.tmpdir(), "convot-bench");
const DB = path.join(DIR, "bench.sqlite");
/** A copy of the freshly seeded database, for the rounds beside PostgreSQL (the main pass changes DB). */
const DB_FOR_ROUNDS = path.join(DIR, "rounds.sqlite");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const PER_ROUND = Number(process.env.BENCH_ROUND_REQUESTS ?? 4000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 100_000);
const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 3);
const CONNECTIONS = 50;

const WEBHOOK_SECRET = "bench-secret";
const APP = {
  publicKey: "app_BenchApp000000000001",
  identitySecret: "b".repeat(64),
  apiKeyId: "BenchKey00000001",
  apiKeySecret: "BenchSecret000000000000000000001",
};
const TOKEN = `ck_${APP.apiKeyId}:${APP.apiKeySecret}`;
const results: Record<string, unknown> = {};

function log(line: string) {
  console.log(line);
}

async function waitFor(url: string, child: ChildProcess, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url}`);
}

function start(command: string[], env: Partial<NodeJS.ProcessEnv>): ChildProcess {
  return spawn(process.execPath, command, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ["ignore", "ignore", "inherit"] });
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

type Load = {
  method: string;
  path: string | (() => string);
  body?: () => string;
  headers?: Record<string, string>;
  /** Per-request headers (called after path and body). */
  headersFn?: () => Record<string, string>;
};

async function load(base: string, spec: Load, seconds: number, amount?: number) {
  const started = performance.now();
  let lastAnswer = started;
  // (Without a callback autocannon returns its instance, which is also the promise of its result.)
  const run = autocannon({
    url: base,
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: seconds }),
    requests: [
      {
        method: spec.method as "POST",
        headers: { "content-type": "application/json", ...spec.headers },
        setupRequest: (req) => {
          const path = typeof spec.path === "function" ? spec.path() : spec.path;
          const body = spec.body?.();
          return { ...req, path, body, headers: { ...req.headers, ...spec.headersFn?.() } };
        },
      },
    ],
  }) as Promise<autocannon.Result> & { on(event: "response", listener: () => void): void };
  run.on("response", () => (lastAnswer = performance.now()));
  const result = await run;
  return {
    // A fixed amount of requests: the rate over the time until the last answer (autocannon's own
    // clock stops on a whole second).
    requests_per_s: Math.round(amount ? (result.requests.total * 1000) / (lastAnswer - started) : result.requests.average),
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non_2xx: result.non2xx,
    errors: result.errors,
  };
}

/** Saturating load: as many requests as 50 connections get answered. */
async function measure(name: string, base: string, spec: Load) {
  await load(base, spec, WARMUP);
  const figures = await load(base, spec, DURATION);
  results[name] = figures;
  log(
    `  ${name.padEnd(34)} ${String(figures.requests_per_s).padStart(6)} req/s   p50 ${figures.p50_ms} ms   p99 ${figures.p99_ms} ms   non-2xx ${figures.non_2xx}`,
  );
  if (figures.non_2xx) log(`    ! ${figures.non_2xx} answers were not 2xx: this figure does not measure the route`);
  return figures;
}

/**
 * How long a message takes to reach the other side: the widget's long-poll is waiting; the
 * team posts a reply through the API; the time until the widget's request returns it. (The
 * browser story test measures both directions through the real pages.)
 */
async function messageLatency(base: string) {
  const call = async (path: string, init: RequestInit & { token?: string } = {}) => {
    const headers: Record<string, string> = { "Content-Type": "application/json", ...(init.token ? { Authorization: `Bearer ${init.token}` } : {}) };
    const response = await fetch(`${base}${path}`, { ...init, headers });
    return response.json() as Promise<any>;
  };
  const session = await call("/api/v1/widget/session", {
    method: "POST",
    body: JSON.stringify({ app_id: APP.publicKey, host: new URL(base).origin }),
  });
  const visitor = session.visitor_token as string;
  const first = await call("/api/v1/widget/messages", { method: "POST", token: visitor, body: JSON.stringify({ content: "bench: hello" }) });
  let after = first.message.id as number;
  const toWidget: number[] = [];
  for (let i = 0; i < 21; i++) {
    const waiting = call(`/api/v1/widget/messages?after=${after}&wait=10`, { token: visitor });
    await new Promise((r) => setTimeout(r, 30)); // the poll is parked on the server
    const t = performance.now();
    void call(`/api/v1/conversations/${first.conversation_id}/messages`, {
      method: "POST",
      token: TOKEN,
      body: JSON.stringify({ content: `reply ${i}` }),
    });
    const state = await waiting;
    if (i > 0) toWidget.push(performance.now() - t);
    after = state.messages.at(-1).id;
  }
  const median = (xs: number[]) => +[...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)].toFixed(1);
  results.message_latency = { team_to_widget_median_ms: median(toWidget), samples: toWidget.length };
  log(
    `  message latency (API reply → waiting widget)   median ${median(toWidget)} ms   max ${Math.max(...toWidget).toFixed(1)} ms (n=${toWidget.length})`,
  );
}

/** Sequential requests; returns percentiles of the handler's Server-Timing and of the round trip. */
async function serverTime(name: string, url: string, count: number) {
  const handler: number[] = [];
  const roundTrip: number[] = [];
  for (let i = 0; i < count + 20; i++) {
    const t = performance.now();
    const response = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    await response.arrayBuffer();
    const elapsed = performance.now() - t;
    if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
    if (i < 20) continue; // warm-up
    roundTrip.push(elapsed);
    handler.push(Number(/dur=([\d.]+)/.exec(response.headers.get("server-timing") ?? "")![1]));
  }
  const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
  const figures = {
    handler_p50_ms: +pct(handler, 50).toFixed(2),
    handler_p99_ms: +pct(handler, 99).toFixed(2),
    round_trip_p50_ms: +pct(roundTrip, 50).toFixed(2),
    round_trip_p99_ms: +pct(roundTrip, 99).toFixed(2),
    samples: count,
  };
  results[name] = figures;
  log(
    `  ${name.padEnd(34)} server p50 ${figures.handler_p50_ms} ms   p99 ${figures.handler_p99_ms} ms   (round trip p99 ${figures.round_trip_p99_ms} ms, n=${count})`,
  );
}

/** Signed app_subscriptions/update deliveries for 1,000 shops, each with a fresh webhook id. */
function webhookLoad(): Load {
  const statuses = ["ACTIVE", "FROZEN", "ACTIVE", "CANCELLED"];
  const plans = ["Pro", "Plus"];
  let i = 0;
  let current: ReturnType<typeof webhookDelivery> | null = null;
  const next = () => {
    i++;
    const shop = `hook-${i % 1000}.myshopify.com`;
    const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
    current = webhookDelivery({
      topic: "app_subscriptions/update",
      shop,
      secret: WEBHOOK_SECRET,
      apiVersion: "2026-10",
      payload: {
        app_subscription: {
          admin_graphql_api_id: `gid://shopify/AppSubscription/${i % 1000}`,
          name: plans[i % 2],
          status: statuses[(i >> 1) % 4],
          created_at: at,
          updated_at: at,
        },
      },
    });
    return current;
  };
  return {
    method: "POST",
    path: () => next().path,
    body: () => current!.body,
    headersFn: () => current!.headers,
  };
}

/** The console's merchants list over all contacts, as an operator loads it (document request). */
async function consoleListTime(base: string) {
  const { hashPassword } = await import("../app/console/passwords.server");
  const Database = (await import("better-sqlite3")).default;
  const db = new Database(DB);
  const org = (db.prepare(`SELECT "organizationId" FROM "App" WHERE "publicKey" = ?`).get(APP.publicKey) as { organizationId: number })
    .organizationId;
  const appId = (db.prepare(`SELECT "id" FROM "App" WHERE "publicKey" = ?`).get(APP.publicKey) as { id: number }).id;
  db.prepare(`INSERT INTO "Operator" ("organizationId", "email", "passwordHash", "role", "createdAt") VALUES (?, ?, ?, 'owner', ?)`).run(
    org,
    "bench@convot.example",
    await hashPassword("bench operator password"),
    new Date().toISOString().replace("Z", "+00:00"),
  );
  db.close();
  const login = await fetch(`${base}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: "bench@convot.example", password: "bench operator password", next: "" }),
  });
  const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0];
  for (const [label, query] of [
    [`console merchants list (${CONTACTS / 1000}k)`, ""],
    ["  … filtered plan = pro", "?plan=pro"],
    ["  … text search", "?q=shop-4242"],
  ] as const) {
    const times: number[] = [];
    for (let i = 0; i < 45; i++) {
      const t = performance.now();
      const response = await fetch(`${base}/console/apps/${appId}${query}`, { headers: { Cookie: cookie } });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`console list answered ${response.status}`);
      if (i >= 5) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const figures = { p50_ms: +times[Math.floor(times.length / 2)].toFixed(1), p99_ms: +times[times.length - 1].toFixed(1), samples: times.length };
    results[label.trim()] = figures;
    log(`  ${label.padEnd(34)} p50 ${figures.p50_ms} ms   max ${figures.p99_ms} ms (whole page, n=${figures.samples})`);
  }
}

function identifyBodies(n: number) {
  const bodies: string[] = [];
  for (let i = 0; i < n; i++) {
    const shop = `shop-${1 + Math.floor(Math.random() * CONTACTS)}.myshopify.com`;
    bodies.push(
      JSON.stringify({
        app_id: APP.publicKey,
        external_id: shop,
        user_hash: createHmac("sha256", APP.identitySecret).update(shop).digest("hex"),
        name: `Owner of ${shop}`,
        custom_data: { plan: PLANS[i % 3], app_version: i % 2 ? "2.4.1" : "2.5.0", active: true },
      }),
    );
  }
  return bodies;
}

function serverEnv(port: number, databaseUrl: string): NodeJS.ProcessEnv {
  // The identify load comes from 20,000 visitors' addresses (X-Forwarded-For, as a load balancer
  // sets it): the per-IP rate limit applies to each, as in production. One app sends all of the
  // bench's identifies: above the per-app guard's default 5,000/s, the excess would be 429s, and
  // the figure would measure the guard, not identify (benchServerEnv lifts it).
  return benchServerEnv(port, databaseUrl, { SHOPIFY_API_SECRET: WEBHOOK_SECRET });
}

function identifyLoad(bodies: string[]): Load {
  let b = 0;
  return {
    method: "POST",
    path: "/api/v1/identify",
    body: () => bodies[b++ % bodies.length],
    headersFn: () => ({ "x-forwarded-for": `10.${(b >> 16) & 255}.${(b >> 8) & 255}.${b & 255}` }),
  };
}

function eventsLoad(): Load {
  return {
    method: "POST",
    path: () => `/api/v1/contacts/${1 + Math.floor(Math.random() * CONTACTS)}/events`,
    headers: { authorization: `Bearer ${TOKEN}` },
    body: () => JSON.stringify({ name: "feature_enabled", properties: { feature: "chat", count: 1 } }),
  };
}

/**
 * Identify on SQLite and on PostgreSQL in alternating rounds of the same requests (each engine
 * gets the same bodies in the same order): the machine's speed drifts by tens of percent within a
 * minute, so a ratio of two runs taken one after the other measures the drift as much as the engines.
 * The figure is the median of the rounds' ratios.
 */
async function identifyRounds(sqliteBase: string, postgresBase: string, bodies: string[]): Promise<number> {
  const engines = [
    { name: "SQLite", base: sqliteBase, load: identifyLoad(bodies) },
    { name: "PostgreSQL", base: postgresBase, load: identifyLoad(bodies) },
  ];
  for (const engine of engines) await load(engine.base, engine.load, 0, PER_ROUND / 4); // warm-up: connections, statements, JIT
  const ratios: number[] = [];
  const rounds: Record<string, unknown>[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Each round starts with the other engine than the last, so neither always follows the other.
    const order = round % 2 ? engines : [...engines].reverse();
    const figures: Record<string, Awaited<ReturnType<typeof load>>> = {};
    for (const engine of order) figures[engine.name] = await load(engine.base, engine.load, 0, PER_ROUND);
    const ratio = figures.PostgreSQL.requests_per_s / figures.SQLite.requests_per_s;
    ratios.push(ratio);
    rounds.push({ sqlite: figures.SQLite, postgresql: figures.PostgreSQL, ratio: +ratio.toFixed(2) });
    log(
      `  round ${round}   SQLite ${String(figures.SQLite.requests_per_s).padStart(5)} req/s (p99 ${figures.SQLite.p99_ms} ms)   ` +
        `PostgreSQL ${String(figures.PostgreSQL.requests_per_s).padStart(5)} req/s (p99 ${figures.PostgreSQL.p99_ms} ms)   ratio ${ratio.toFixed(2)}` +
        (figures.SQLite.non_2xx || figures.PostgreSQL.non_2xx ? `   ! non-2xx ${figures.SQLite.non_2xx} / ${figures.PostgreSQL.non_2xx}` : ""),
    );
  }
  const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
  results.identify_rounds = rounds;
  results.postgresql_identify_ratio_to_sqlite = +median.toFixed(2);
  log(`  PostgreSQL ÷ SQLite identify       ${median.toFixed(2)}  (median of ${ROUNDS} alternating rounds of ${PER_ROUND} requests; goal ≥ 0.5)`);
  return median;
}

/**
 * PostgreSQL: a database of its own on the local server (POSTGRES_URL, default the machine's),
 * dropped afterwards; skipped with a message when no server answers. Identify in rounds beside a
 * SQLite server on a copy of the same seed, then the events and webhook loads.
 */
async function postgresPass(bodies: string[], port: number, identifyOnly = false): Promise<boolean> {
  let database: ScratchDatabase;
  try {
    log(`\n› Migrating and seeding ${CONTACTS.toLocaleString()} contacts in PostgreSQL…`);
    database = await scratchDatabase(`convot_bench_${process.pid}`);
  } catch (error) {
    log(`\n› PostgreSQL pass skipped: no server at ${POSTGRES_ADMIN_URL} (${(error as Error).message})`);
    return false;
  }
  const url = database.url;
  try {
    const seedStart = performance.now();
    await seedBenchPostgres(url, { ...APP, apiKeyHash: sha256Hex(APP.apiKeySecret) }, CONTACTS);
    log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const base = `http://127.0.0.1:${port}`;
    const sqliteBase = `http://127.0.0.1:${port + 1}`;
    const server = start(["server/index.ts"], serverEnv(port, url));
    const sqliteServer = start(["server/index.ts"], serverEnv(port + 1, `file:${DB_FOR_ROUNDS}`));
    try {
      await waitFor(base, server);
      await waitFor(sqliteBase, sqliteServer);
      log(`\n› Identify on PostgreSQL beside SQLite (server/index.ts each, the same fresh seed, alternating rounds)`);
      await identifyRounds(sqliteBase, base, bodies);
      await stop(sqliteServer);
      if (!identifyOnly) {
        log(`\n› Convot for Shopify on PostgreSQL (server/index.ts, the other loads)`);
        await measure("PostgreSQL: POST /api/v1/contacts/:id/events", base, eventsLoad());
        await measure("PostgreSQL: signed webhooks", base, webhookLoad());
      }
      results.postgresql_peak_rss_mb = +peakRssMb(server.pid!).toFixed(1);
    } finally {
      await stop(sqliteServer);
      await stop(server);
    }
  } finally {
    await database.drop();
  }
  return true;
}

/** Runs a bench script of its own (it prints its figures), echoing its lines indented; null when it failed. */
function benchScript(script: string, env: Record<string, string>): string | null {
  try {
    const out = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), [script], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    for (const line of out.trim().split("\n")) log(`  ${line.trim()}`);
    return out;
  } catch (error) {
    log(`  ${script} failed: ${(error as Error).message.split("\n")[0]}`);
    return null;
  }
}

/** Several instances on one PostgreSQL (issue 18): a reply's way from one instance to a widget waiting on another, and SIGTERM-to-exit. */
function clusterFigures() {
  log(`\n› Two instances on one PostgreSQL: a reply posted through B reaching a widget waiting on A (bench/cluster-latency.ts)`);
  const latency = benchScript("bench/cluster-latency.ts", { BENCH_POSTGRES_URL: POSTGRES_ADMIN_URL });
  const across = latency && /through B → widget waiting on A\s+median ([\d.]+) ms.*max ([\d.]+) ms/.exec(latency);
  if (across) {
    results.cross_instance_reply = { median_ms: Number(across[1]), max_ms: Number(across[2]) };
    log(`  cross-instance reply latency      median ${across[1]} ms, max ${across[2]} ms  (goal ≤ 100 ms median)`);
  }
  log(`\n› SIGTERM to exit with 200 long-polls open, on PostgreSQL (bench/shutdown.ts)`);
  const shutdown = benchScript("bench/shutdown.ts", { ENGINE: "postgresql", RUNS: "3" });
  const exits = [...(shutdown ?? "").matchAll(/exited \(code 0\) after (\d+) ms/g)].map((match) => Number(match[1]));
  if (exits.length) {
    results.sigterm_to_exit_ms = exits;
    log(`  SIGTERM to exit                   at most ${Math.max(...exits)} ms over ${exits.length} runs  (goal ≤ 5 s)`);
  }
}

function seedSqlite() {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  log(`› Migrating ${DB} and seeding ${CONTACTS.toLocaleString()} contacts…`);
  execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${DB}` },
    stdio: "ignore",
  });
  const seedStart = performance.now();
  seedBench(DB, { ...APP, apiKeyHash: sha256Hex(APP.apiKeySecret) }, CONTACTS);
  log(`  seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
  fs.copyFileSync(DB, DB_FOR_ROUNDS);
}

/** `npm run bench -- identify`: only the identify rounds on SQLite and PostgreSQL, and their ratio. */
async function identifyComparison() {
  seedSqlite();
  await postgresPass(identifyBodies(20_000), 3900 + Math.floor(Math.random() * 50), true);
}

async function main() {
  seedSqlite();

  const port = 3900 + Math.floor(Math.random() * 50);
  const base = `http://127.0.0.1:${port}`;
  const server = start(["server/index.ts"], serverEnv(port, `file:${DB}`));
  await waitFor(base, server);
  log(
    `\n› Convot for Shopify (server/index.ts, SQLite, ${CONNECTIONS} connections, ${DURATION} s after ${WARMUP} s warm-up, ${os.cpus().length} cores)`,
  );

  const bodies = identifyBodies(20_000);
  let b = 0;
  const identify = await measure("POST /api/v1/identify (verified)", base, identifyLoad(bodies));
  await measure("POST /api/v1/contacts/:id/events", base, eventsLoad());
  await serverTime("timeline page (10,000 events)", `${base}/api/v1/contacts/1/events?per_page=25`, 500);
  await serverTime(`custom_data.plan=pro over ${CONTACTS / 1000}k`, `${base}/api/v1/contacts?custom_data.plan=pro&per_page=25`, 200);
  await consoleListTime(base);
  const webhooks = await measure("signed webhooks (subscription updates)", base, webhookLoad());
  await messageLatency(base);
  results.server_peak_rss_mb = +peakRssMb(server.pid!).toFixed(1);
  log(`  server peak RSS                    ${results.server_peak_rss_mb} MB`);
  await stop(server);
  if (await postgresPass(bodies, port + 300)) clusterFigures();

  const baselinePort = port + 100;
  const baseline = start(["--import", "tsx", "bench/baseline-server.ts"], { BENCH_DB: DB, PORT: String(baselinePort) });
  await waitFor(`http://127.0.0.1:${baselinePort}`, baseline).catch(() => {});
  log(`\n› Baseline: node:http + one better-sqlite3 upsert per identify`);
  b = 0;
  const bare = await measure("baseline identify", `http://127.0.0.1:${baselinePort}`, {
    method: "POST",
    path: "/identify",
    body: () => bodies[b++ % bodies.length],
  });
  await stop(baseline);

  const barePort = port + 200;
  const bareWebhooks = start(["--import", "tsx", "bench/bare-webhook-server.ts"], {
    PORT: String(barePort),
    SHOPIFY_API_SECRET: WEBHOOK_SECRET,
    BENCH_DB: DB,
  });
  await waitFor(`http://127.0.0.1:${barePort}`, bareWebhooks).catch(() => {});
  log(`\n› Baseline: node:http + authenticate.webhook only`);
  const bareHook = await measure("bare authenticate.webhook", `http://127.0.0.1:${barePort}`, webhookLoad());
  await stop(bareWebhooks);
  results.webhooks_ratio_to_bare = +(webhooks.requests_per_s / bareHook.requests_per_s).toFixed(2);

  results.identify_ratio_to_baseline = +(identify.requests_per_s / bare.requests_per_s).toFixed(2);
  log(`\n  identify throughput / baseline     ${results.identify_ratio_to_baseline}  (goal ≥ 0.5)`);
  log(`  webhooks throughput / bare         ${results.webhooks_ratio_to_bare}`);

  if (fs.existsSync(process.env.CHROMIUM_PATH ?? "/usr/bin/chromium")) {
    log(`\n› Widget cost on page load (Chromium, /preview, cold cache)`);
    results.widget = await measureWidgetLoad((line) => log(line));
    log(`\n› Storefront cost as Shopify measures it (Lighthouse, /preview with and without the embed)`);
    results.lighthouse = await measureLighthouse((line) => log(line));
  } else {
    log(`\n› Widget page-load cost and Lighthouse skipped: no Chromium at /usr/bin/chromium`);
  }

  const out = path.join(ROOT, "bench", "results");
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, "latest.json"), JSON.stringify({ at: new Date().toISOString(), contacts: CONTACTS, results }, null, 2));
  log(`\n  written to bench/results/latest.json`);
}

// `npm run bench -- lighthouse` (or `widget`, `identify`, `cluster`) runs that part alone.
const parts: Record<string, { title: string; run: () => Promise<unknown> }> = {
  identify: { title: "Identify on SQLite and on PostgreSQL, in alternating rounds", run: identifyComparison },
  cluster: { title: "Several instances on one PostgreSQL", run: async () => clusterFigures() },
  widget: { title: "Widget cost on page load (Chromium, /preview, cold cache)", run: () => measureWidgetLoad(log) },
  lighthouse: {
    title: "Storefront cost as Shopify measures it (Lighthouse, /preview with and without the embed)",
    run: () => measureLighthouse(log),
  },
};
const part = process.argv[2];
if (part !== undefined && !parts[part]) {
  console.error(`unknown bench part "${part}": choose one of ${Object.keys(parts).join(", ")}, or none for the whole bench`);
  process.exit(2);
}

(part ? (log(`› ${parts[part].title}`), parts[part].run()) : main()).catch((error) => {
  console.error(error);
  process.exit(1);
});
