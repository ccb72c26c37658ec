// How long the server takes from SIGTERM to exit with N widget long-polls open (docs/decisions/022:
// within 5 s). Prints; asserts nothing. `npx tsx bench/shutdown.ts` after `npm run build`.
// POLLS (default 200) long-polls, RUNS (default 5) fresh servers; ENGINE=postgresql runs on a fresh
// PostgreSQL database (POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres) instead of SQLite.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import { scratchDatabase } from "./scratch-postgres";
import { Agent } from "undici";

const POLLS = Number(process.env.POLLS ?? 200);
const RUNS = Number(process.env.RUNS ?? 5);
const DIR = "/tmp/convot-shutdown-bench";
const METRICS_TOKEN = "bench-metrics-token-0123456789";
const postgres = process.env.ENGINE === "postgresql";
const scratch = postgres ? await scratchDatabase(`convot_bench_shutdown_${process.pid}`) : null;
let databaseUrl: string;
if (scratch) {
  databaseUrl = scratch.url;
} else {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
  databaseUrl = `file:${DIR}/bench.sqlite`;
}
if (!scratch)
  execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
// One connection per long-poll, as N browsers would hold.
const dispatcher = new Agent({ connections: POLLS + 10 });

async function run(port: number) {
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["server/index.ts"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: "s".repeat(32),
      SHOPIFY_APP_URL: base,
      DEMO_MODE: "false",
      CONVOT_APP_KEY: "app_BenchShopifyApp0001",
      CONVOT_IDENTITY_SECRET: "c".repeat(64),
      SESSION_SECRET: "bench-session-secret-0123456789abcdef",
      METRICS_TOKEN,
      LOG_LEVEL: "warn",
      // Each long-poll from an address of its own: one address may only open 120 in 12 s.
      TRUST_PROXY: "true",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => server.on("exit", (code) => resolve({ code, at: performance.now() })));
  for (;;) {
    try {
      await fetch(`${base}/healthz`);
      break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const session = await fetch(`${base}/api/v1/widget/session`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ app_id: "app_BenchShopifyApp0001", host: base }),
  });
  const { visitor_token: token } = await session.json();
  const answered: number[] = [];
  const polls = Array.from({ length: POLLS }, (_, i) =>
    fetch(`${base}/api/v1/widget/messages?wait=25`, {
      headers: { authorization: `Bearer ${token}`, "x-forwarded-for": `10.1.${i >> 8}.${i & 255}` },
      dispatcher,
    } as RequestInit)
      .then(async (res) => {
        await res.arrayBuffer();
        answered.push(performance.now());
        return res.status;
      })
      .catch(() => 0),
  );
  // Until all of them wait (the server's own count).
  for (let tries = 0; ; tries++) {
    if (tries > 400) throw new Error("the long-polls never all waited");
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const waiting = Number(/^convot_long_poll_waiters\{endpoint="widget"\} (\d+)/m.exec(text)?.[1] ?? 0);
    if (waiting >= POLLS) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const signalled = performance.now();
  server.kill("SIGTERM");
  const statuses = await Promise.all(polls);
  const exit = await exited;
  return {
    lastPollMs: Math.max(...answered) - signalled,
    exitMs: exit.at - signalled,
    code: exit.code,
    ok: statuses.filter((status) => status === 200).length,
  };
}

console.log(`SIGTERM to exit with ${POLLS} long-polls open (${postgres ? "PostgreSQL" : "SQLite"}), ${RUNS} runs:`);
try {
  for (let i = 0; i < RUNS; i++) {
    const result = await run(3960 + i);
    console.log(
      `  run ${i + 1}: every long-poll answered (200: ${result.ok}/${POLLS}) ${result.lastPollMs.toFixed(0)} ms after SIGTERM, exited (code ${result.code}) after ${result.exitMs.toFixed(0)} ms`,
    );
  }
} finally {
  await dispatcher.close();
  await scratch?.drop();
}
