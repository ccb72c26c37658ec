// What the dashboard's insights cost for an app with 10,000 merchants (docs/decisions/026): each
// merchant's 90 days of installs and subscriptions recorded through the real fold, then
// appInsights timed. `npx tsx bench/insights.ts` (SQLite) or `PG_URL=postgresql://… npx tsx
// bench/insights.ts` (an empty database it migrates). Prints figures, asserts nothing.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { benchServerEnv } from "./server-env";

const MERCHANTS = Number(process.env.MERCHANTS ?? 10_000);
const DIR = "/tmp/convot-insights-bench";
const url = process.env.PG_URL ?? `file:${DIR}/bench.sqlite`;
if (!process.env.PG_URL) {
  fs.rmSync(DIR, { recursive: true, force: true });
  fs.mkdirSync(DIR, { recursive: true });
}
execFileSync("node_modules/.bin/tsx", ["scripts/db.ts", "deploy"], { env: { ...process.env, DATABASE_URL: url }, stdio: "ignore" });
Object.assign(process.env, benchServerEnv(1, url, { CONVOT_SQLITE_CHECKPOINT: "inline" }));
const { booted } = await import("../app/boot.server");
await booted();
const { sql } = await import("../app/db.server");
const { recordMerchantFacts } = await import("../app/shopify/merchant-state.server");
const { merchantApp } = await import("../app/shopify/merchant-contact.server");
const { appInsights } = await import("../app/console/insights.server");
type NewFact = import("../app/shopify/merchant-facts.server").NewFact;

const DAY = 86_400_000;
const now = Date.now();
let random = 42;
const next = () => (random = (random * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const fact = (kind: NewFact["kind"], subject: string, status: string, at: number, data: NewFact["data"] = {}): NewFact => ({
  kind,
  subject,
  status,
  occurredAt: new Date(at),
  data,
  source: "webhook",
  receivedAt: new Date(),
});

const seedStart = performance.now();
let facts = 0;
for (let i = 0; i < MERCHANTS; i++) {
  const shop = `bench-${i}.myshopify.com`;
  const installed = now - Math.floor(next() * 85) * DAY - 3_600_000;
  const sub = (n: number, plan: string, status: string, at: number) =>
    fact("subscription", `gid://shopify/AppSubscription/${i}-${n}`, status, at, {
      name: plan,
      price: plan === "Pro" ? "19.00" : "49.00",
      interval: "every_30_days",
      created_at: new Date(at).toISOString(),
    });
  const told: NewFact[] = [fact("installation", "", "installed", installed, { shopify_plan: "Basic" })];
  const roll = next();
  if (roll < 0.7) {
    const t1 = installed + DAY;
    told.push(sub(1, "Pro", "ACTIVE", t1));
    if (roll < 0.2) told.push(sub(2, "Plus", "ACTIVE", t1 + 20 * DAY), sub(1, "Pro", "CANCELLED", t1 + 20 * DAY + 1000));
    else if (roll < 0.3) told.push(sub(1, "Pro", "FROZEN", t1 + 10 * DAY), sub(1, "Pro", "ACTIVE", t1 + 14 * DAY));
    else if (roll < 0.4) told.push(sub(1, "Pro", "CANCELLED", t1 + 8 * DAY), fact("installation", "", "uninstalled", t1 + 8 * DAY + 1000));
  }
  const kept = told.filter((f) => f.occurredAt.getTime() < now);
  facts += kept.length;
  await sql.transaction((tx) => recordMerchantFacts(tx, shop, kept));
}
console.log(`${MERCHANTS} merchants, ${facts} facts recorded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s (${sql.engine})`);

const app = await merchantApp(sql);
const times: number[] = [];
for (let round = 0; round < 7; round++) {
  const t = performance.now();
  const insights = await appInsights(app.id, { days: 90, cohort: round % 2 ? "paying" : null });
  times.push(performance.now() - t);
  if (round === 0)
    console.log(
      `MRR now $${insights.mrr}, ${insights.standings.paying} paying, ${insights.standings.churned} churned, trials ${JSON.stringify(insights.trials)}`,
    );
}
times.sort((a, b) => a - b);
console.log(
  `appInsights over ${MERCHANTS} merchants: median ${times[3].toFixed(0)} ms, min ${times[0].toFixed(0)} ms, max ${times[6].toFixed(0)} ms (7 rounds, every other one with the 'paying' list)`,
);
await sql.close();
process.exit(0);
