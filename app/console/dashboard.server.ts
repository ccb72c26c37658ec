// The console dashboard's activity: installs and uninstalls per day, plan distribution,
// the webhook delivery log (failures first) and the upkeep jobs' last runs (revenue and merchant
// standings: insights.server.ts). Scoped to one app of the operator's organization.
import { sql } from "../db.server";
import { toDate } from "../db/sql.server";
import { latestJobRuns, runState } from "../jobs/job-runs.server";
import { registeredJobs } from "../jobs/scheduler.server";
import { listDeliveries } from "../shopify/webhook-deliveries.server";

export type DayCount = { day: string; installs: number; uninstalls: number };

export async function dashboard(app: { id: number; shopApp: boolean }, days = 30, now = new Date()) {
  const since = new Date(now.getTime() - (days - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const [events, plans] = await Promise.all([
    sql.all<{ name: string; occurredAt: unknown }>(
      `SELECT "name", "occurredAt" FROM "ContactEvent" WHERE "appId" = ? AND "name" IN ('shop_installed', 'shop_uninstalled') AND "occurredAt" >= ?`,
      [app.id, since],
    ),
    sql.all<{ value: string; n: number }>(
      `SELECT "value", COUNT(*) AS "n" FROM "CustomDataValue" WHERE "appId" = ? AND "key" = 'plan' GROUP BY "value" ORDER BY COUNT(*) DESC`,
      [app.id],
    ),
  ]);
  const byDay = new Map<string, DayCount>();
  for (let i = 0; i < days; i++) {
    const day = new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10);
    byDay.set(day, { day, installs: 0, uninstalls: 0 });
  }
  for (const event of events) {
    const entry = byDay.get(toDate(event.occurredAt).toISOString().slice(0, 10));
    if (!entry) continue;
    if (event.name === "shop_installed") entry.installs++;
    else entry.uninstalls++;
  }
  // The delivery log and the upkeep belong to the Shopify app (its webhooks, its deployment), not to other apps.
  const deliveries = app.shopApp ? await listDeliveries({ limit: 50 }) : [];
  const jobs = app.shopApp ? await upkeepJobs(now) : [];
  return {
    perDay: [...byDay.values()],
    plans: plans.map((p) => ({ plan: p.value, count: Number(p.n) })),
    deliveries: deliveries.map((d) => ({ ...d, receivedAt: d.receivedAt.toISOString(), processedAt: d.processedAt?.toISOString() ?? null })),
    jobs,
  };
}

export type UpkeepJobRow = {
  name: string;
  state: ReturnType<typeof runState> | "not run yet";
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  error: string | null;
  instance: string | null;
};

/** Each job's latest run, whichever instance ran it; a job this instance schedules but nobody has run yet says so. */
async function upkeepJobs(now: Date): Promise<UpkeepJobRow[]> {
  const runs = await latestJobRuns();
  const rows: UpkeepJobRow[] = runs.map((run) => ({
    name: run.name,
    state: runState(run, now),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    attempts: run.attempts,
    error: run.error,
    instance: run.instance,
  }));
  for (const job of registeredJobs()) {
    if (!runs.some((run) => run.name === job.name)) {
      rows.push({ name: job.name, state: "not run yet", startedAt: null, finishedAt: null, attempts: 0, error: null, instance: null });
    }
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}
