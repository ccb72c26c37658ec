// What the widget's shared rate limits cost on PostgreSQL (docs/decisions/021). Prints; asserts nothing.
//   npx tsx bench/rate-limit-cost.ts            in process: one consume through the seam (memory vs
//                                                PostgreSQL, one at a time and 50 at once, a blocked key
//                                                with and without the in-memory block)
//   HTTP=1 npx tsx bench/rate-limit-cost.ts     identify through the server on a fresh PostgreSQL
//                                                database (every request from its own address; FLOOD=1:
//                                                all from one address, so nearly all are 429s); SERVER_ROOT=
//                                                <another checkout's build> runs that one on the same load (A/B);
//                                                SERVER_NODE_ARGS passes it node flags (--cpu-prof)
// POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/postgres) names a server whose user may create databases.
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import autocannon from "autocannon";
import { serverEntry } from "./server-entry";
import { scratchDatabase } from "./scratch-postgres";
import { benchServerEnv, cpuTicks, waitUntilUp } from "./server-env";

const database = await scratchDatabase(`convot_bench_limits_${process.pid}`);
const DATABASE_URL = database.url;
try {
  if (process.env.HTTP) await overHttp();
  else await inProcess();
} finally {
  await database.drop();
}

async function inProcess() {
  const { openPostgres } = await import("../app/db/sql.server");
  const { memoryRateLimiter } = await import("../app/db/rate-limiter.server");
  const sql = openPostgres(DATABASE_URL);
  const N = Number(process.env.N ?? 5000);
  const cpu = (since?: NodeJS.CpuUsage) => process.cpuUsage(since);
  async function time(label: string, consume: (i: number) => Promise<unknown>, concurrency: number) {
    for (let i = 0; i < 200; i++) await consume(-1 - i).catch(() => {}); // warm-up: connections, prepared statements
    const c0 = cpu();
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < N) await consume(next++).catch(() => {});
      }),
    );
    const wall = ((performance.now() - t0) * 1000) / N;
    const used = cpu(c0);
    console.log(
      `${label.padEnd(70)} ${wall.toFixed(1).padStart(7)} µs wall/consume  ${((used.user + used.system) / N).toFixed(1).padStart(6)} µs CPU/consume`,
    );
  }
  const window = { points: 120, duration: 12, blockDuration: 0 };
  const memory = memoryRateLimiter({ name: "bench:memory", ...window });
  const shared = sql.rateLimiter({ name: "bench:pg", ...window, blockInMemory: true });
  const sharedNoBlock = sql.rateLimiter({ name: "bench:pg-no-block", ...window });
  await time("memory (SQLite deployments), a key per consume", (i) => memory.consume(`m${i}`), 1);
  await time("PostgreSQL, a key per consume, one at a time", (i) => shared.consume(`a${i}`), 1);
  await time("PostgreSQL, a key per consume, 50 at once", (i) => shared.consume(`b${i}`), 50);
  const app = sql.rateLimiter({ name: "bench:app", points: 10_000_000, duration: 60, blockDuration: 0, blockInMemory: true });
  await time("PostgreSQL, one hot key, a row update each, 50 at once", () => app.consume("hot"), 50);
  const { LeasedAllowance } = await import("../app/http/allowance-leases");
  const leased = new LeasedAllowance(
    sql.rateLimiter({ name: "bench:leased", points: 10_000, duration: 2, blockDuration: 0, blockInMemory: true }),
    100,
  );
  await time("PostgreSQL, one hot key in leases of 100 (an app's, 10,000 per 2 s), 50 at once", () => leased.consume("hot"), 50);
  const blocked = async (limiter: typeof shared, key: string) => {
    for (let i = 0; i < window.points + 1; i++) await limiter.consume(key).catch(() => {});
  };
  await blocked(shared, "flood");
  await blocked(sharedNoBlock, "flood");
  await time("PostgreSQL, a blocked key, in-memory block (as configured)", () => shared.consume("flood"), 50);
  await time("PostgreSQL, a blocked key, store asked every time", () => sharedNoBlock.consume("flood"), 50);
  await sql.close();
}

async function overHttp() {
  const root = process.env.SERVER_ROOT ?? process.cwd();
  const port = 3980;
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [...(process.env.SERVER_NODE_ARGS?.split(" ") ?? []), serverEntry(root)], {
    cwd: root,
    env: benchServerEnv(port, DATABASE_URL),
    stdio: ["ignore", "ignore", "inherit"],
  });
  await waitUntilUp(base);
  const serverCpu = () => cpuTicks(server.pid!);
  // Signed (the configured app requires it), as the admin's widget identifies merchants.
  const sign = (value: string) => createHmac("sha256", "c".repeat(64)).update(value).digest("hex");
  const bodies = Array.from({ length: 2000 }, (_, i) =>
    JSON.stringify({
      app_id: "app_BenchShopifyApp0001",
      external_id: `shop-${i}.myshopify.com`,
      user_hash: sign(`shop-${i}.myshopify.com`),
      name: `Owner ${i}`,
    }),
  );
  let b = 0;
  const load = (seconds: number) =>
    autocannon({
      url: base,
      connections: 50,
      duration: seconds,
      requests: [
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          setupRequest: (req) => {
            b++;
            const from = process.env.FLOOD ? "10.9.9.9" : `10.${(b >> 16) & 255}.${(b >> 8) & 255}.${b & 255}`;
            return { ...req, path: "/api/v1/identify", body: bodies[b % bodies.length], headers: { ...req.headers, "x-forwarded-for": from } };
          },
        },
      ],
    });
  await load(3); // warm-up: every contact created once
  const start = serverCpu();
  const result = await load(Number(process.env.SECONDS ?? 8));
  const us = ((serverCpu() - start) * 10_000) / result.requests.total;
  console.log(
    `identify on PostgreSQL (${root === process.cwd() ? "this checkout" : root}${process.env.FLOOD ? ", one address" : ""}): ${Math.round(result.requests.average)} req/s ` +
      `p50 ${result.latency.p50} p99 ${result.latency.p99} ms, 2xx ${result["2xx"]} non2xx ${result.non2xx}, ${us.toFixed(0)} µs server CPU/request`,
  );
  server.kill("SIGTERM");
  await new Promise((r) => server.on("exit", r));
}
