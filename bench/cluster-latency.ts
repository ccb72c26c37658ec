// `npx tsx bench/cluster-latency.ts` (after `npm run build`): two server instances on one
// PostgreSQL database it creates; how long a reply posted through instance B takes to reach a
// widget whose long-poll waits on instance A (NOTIFY after commit, ADR 024), against the same
// reply through A itself. Prints median, p90 and max; nothing here asserts.
// BENCH_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names a server where
// it may create and drop a database; BENCH_REPLIES (default 50) how many replies to time.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { adminQuery, scratchDatabase } from "./scratch-postgres";

const ROOT = path.resolve(import.meta.dirname, "..");
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const REPLIES = Number(process.env.BENCH_REPLIES ?? 50);
const APP_URL = "https://convot-bench.example";
const ENV: Record<string, string> = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "bench",
  SHOPIFY_API_SECRET: "bench-secret",
  SHOPIFY_APP_URL: APP_URL,
  CONVOT_APP_KEY: "app_BenchCluster0001",
  CONVOT_IDENTITY_SECRET: "c".repeat(64),
  SESSION_SECRET: "bench-session-secret-0123456789abcdef",
  // The bench's widget reads come from one address.
  APP_READ_RATE_LIMIT: "100000",
};

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

async function startInstance(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(ROOT, "server/index.ts")], {
    cwd: ROOT,
    env: { ...process.env, ...ENV, DATABASE_URL: databaseUrl, PORT: String(port) },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      await fetch(url);
      return { url, child };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`no answer from ${url}`);
}

async function call(base: string, pathname: string, init: { token?: string; body?: unknown } = {}) {
  const headers: Record<string, string> = {};
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${base}${pathname}`, {
    method: init.body === undefined ? "GET" : "POST",
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (!response.ok) throw new Error(`${pathname}: ${response.status} ${await response.text()}`);
  return response.json() as Promise<any>;
}

/** Milliseconds from posting each reply through `replyVia` to the widget's poll on `waitOn` returning it. */
async function replyLatencies(waitOn: string, replyVia: string, app: { app_key: string; api_key: string }, count: number): Promise<number[]> {
  const session = await call(waitOn, "/api/v1/widget/session", { body: { app_id: app.app_key, host: APP_URL } });
  const visitor = session.visitor_token as string;
  const first = await call(waitOn, "/api/v1/widget/messages", { token: visitor, body: { content: "bench: hello" } });
  let after = first.message.id as number;
  const latencies: number[] = [];
  for (let i = 0; i <= count; i++) {
    const waiting = call(waitOn, `/api/v1/widget/messages?after=${after}&wait=25`, { token: visitor });
    await new Promise((resolve) => setTimeout(resolve, 30)); // the poll is parked on the server
    const sent = performance.now();
    void call(replyVia, `/api/v1/conversations/${first.conversation_id}/messages`, { token: app.api_key, body: { content: `reply ${i}` } });
    const state = await waiting;
    if (i > 0) latencies.push(performance.now() - sent); // the first warms both paths
    after = state.messages.at(-1).id;
  }
  return latencies;
}

const figures = (xs: number[]) => {
  const sorted = [...xs].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `median ${at(0.5)} ms   p90 ${at(0.9)} ms   max ${sorted.at(-1)!.toFixed(1)} ms   (n=${xs.length})`;
};

async function main() {
  if (!fs.existsSync(path.join(ROOT, "build/index.js"))) throw new Error("build/index.js is missing: run `npm run build` first");
  try {
    await adminQuery("SELECT 1", ADMIN_URL);
  } catch (error) {
    console.log(`cluster latency: skipped, no PostgreSQL at ${ADMIN_URL} (${(error as Error).message})`);
    return;
  }
  const scratch = await scratchDatabase(`convot_bench_cluster_${randomBytes(4).toString("hex")}`, ADMIN_URL);
  const { name: database, url: databaseUrl } = scratch;
  const instances: ChildProcess[] = [];
  try {
    const created = execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/convot.ts", "app", "create", "--name", "Bench", "--json"], {
      cwd: ROOT,
      env: { ...process.env, ...ENV, DATABASE_URL: databaseUrl },
      encoding: "utf8",
    });
    const app = JSON.parse(created.slice(created.indexOf("{"))) as { app_key: string; api_key: string };
    const [a, b] = await Promise.all([startInstance(databaseUrl), startInstance(databaseUrl)]);
    instances.push(a.child, b.child);
    console.log(`two instances on PostgreSQL (${database}), ${REPLIES} replies each way`);
    console.log(`  reply through B → widget waiting on A   ${figures(await replyLatencies(a.url, b.url, app, REPLIES))}`);
    console.log(`  reply through A → widget waiting on A   ${figures(await replyLatencies(a.url, a.url, app, REPLIES))}`);
  } finally {
    for (const child of instances) child.kill("SIGTERM");
    await Promise.all(instances.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
    await scratch.drop();
  }
}

await main();
