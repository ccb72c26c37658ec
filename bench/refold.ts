// What a late delivery costs when it forces a re-fold (docs/decisions/019): a merchant with 200
// billing events, in process, on a fresh SQLite database; against an in-order fact (one step of
// the kept fold). `npx tsx bench/refold.ts` — prints figures, asserts nothing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { benchServerEnv } from "./server-env";

const DIR = "/tmp/convot-refold";
const DB = `${DIR}/bench.sqlite`;
fs.rmSync(DIR, { recursive: true, force: true });
fs.mkdirSync(DIR, { recursive: true });
execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${DB}` }, stdio: "ignore" });
// Checkpoints on this thread, between batches, not in a worker whose CPU time would count here.
Object.assign(process.env, benchServerEnv(1, `file:${DB}`, { CONVOT_SQLITE_CHECKPOINT: "inline" }));
const { booted } = await import("../app/boot.server");
await booted();
const { sql } = await import("../app/db.server");
const { recordMerchantFacts } = await import("../app/shopify/merchant-state.server");
type NewFact = import("../app/shopify/merchant-facts.server").NewFact;

const EVENTS = Number(process.env.EVENTS ?? 200);
const START = Date.parse("2026-01-01T00:00:00Z");
const HOUR = 3_600_000;
let webhook = 0;
const fact = (subscription: number, name: string, status: string, at: number): NewFact => ({
  kind: "subscription",
  subject: `gid://shopify/AppSubscription/${subscription}`,
  status,
  occurredAt: new Date(at),
  data: { name, price: null, interval: null, created_at: new Date(at).toISOString() },
  source: "webhook",
  webhookId: `wh-${++webhook}`,
  eventId: `ev-${webhook}`,
  receivedAt: new Date(),
});
const record = (shop: string, facts: NewFact[]) => sql.transaction((tx) => recordMerchantFacts(tx, shop, facts));

/** A merchant whose history reads as `EVENTS` billing events: switches between Pro and Plus, freezes and recoveries. */
async function merchantWithHistory(shop: string): Promise<number> {
  let events = 0;
  let t = START;
  for (let sub = 1; events < EVENTS; sub++) {
    const plan = sub % 2 ? "Plus" : "Pro";
    for (const status of ["ACTIVE", "FROZEN", "ACTIVE"]) {
      const { created } = await record(shop, [fact(sub, plan, status, (t += HOUR))]);
      events += created.length;
    }
  }
  return events;
}

const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(2);
  return `median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${sorted[sorted.length - 1].toFixed(2)} ms (n=${ms.length})`;
};

/** Wall time and this process's CPU time (user + system) of `work`, in ms: the machine may be shared. */
async function timed(work: () => Promise<unknown>, wall: number[], cpu: number[]) {
  const c = process.cpuUsage();
  const t = performance.now();
  const result = await work();
  wall.push(performance.now() - t);
  const used = process.cpuUsage(c);
  cpu.push((used.user + used.system) / 1000);
  return result;
}

// PROFILE=1: V8 CPU profiles of the late deliveries alone, written to /tmp/refold-<n>.cpuprofile.
const { Session } = await import("node:inspector/promises");
const profiler = process.env.PROFILE ? new Session() : null;
if (profiler) {
  profiler.connect();
  await profiler.post("Profiler.enable");
  await profiler.post("Profiler.setSamplingInterval", { interval: 50 });
}

const ROUNDS = Number(process.env.ROUNDS ?? 40);
const late: number[] = [];
const lateCpu: number[] = [];
const inOrder: number[] = [];
const inOrderCpu: number[] = [];
const WARMUP = 10;
const profiles: unknown[] = [];
for (let round = 0; round < ROUNDS + WARMUP; round++) {
  const shop = `refold-${round}.myshopify.com`;
  const events = await merchantWithHistory(shop);
  if (round === 0) console.log(`merchant history: ${events} billing events`);
  if (round === WARMUP) late.length = lateCpu.length = inOrder.length = inOrderCpu.length = 0; // after the JIT has warmed up
  // Late: a subscription's update from before most of the history, which changes how every later transition reads.
  if (profiler && round >= WARMUP) await profiler.post("Profiler.start");
  const { refolded } = (await timed(() => record(shop, [fact(100_000 + round, "Enterprise", "FROZEN", START + 30 * 60_000)]), late, lateCpu)) as {
    refolded: boolean;
  };
  if (profiler && round >= WARMUP) {
    const { profile } = await profiler.post("Profiler.stop");
    profiles.push(profile);
  }
  if (!refolded) throw new Error("the late fact did not re-fold");
  // In order: the next update, after everything.
  await timed(() => record(shop, [fact(1, "Plus", "FROZEN", START + 10_000 * HOUR)]), inOrder, inOrderCpu);
}
console.log(`late delivery, re-fold of a ${EVENTS}-event merchant  wall: ${stats(late)}`);
console.log(`                                               cpu:  ${stats(lateCpu)}`);
console.log(`in-order delivery, one step of the kept fold  wall: ${stats(inOrder)}`);
console.log(`                                               cpu:  ${stats(inOrderCpu)}`);
profiles.forEach((profile, n) => fs.writeFileSync(`/tmp/refold-${n}.cpuprofile`, JSON.stringify(profile)));
await sql.close();
