// The console's revenue insights for one app: its merchants' facts read in the fold's order and
// folded again (app/console/insights.ts), and the merchants behind one of the figures. Every
// query is scoped to the app.
import { sql } from "../db.server";
import { toDate } from "../db/sql.server";
import type { Fact } from "../shopify/merchant-fold";
import { computeInsights, type Insights, type MerchantHistory } from "./insights";

/** The facts that move MRR, installs and trials; shop plans, purchases and usage alerts do not. */
const FOLDED_KINDS = `'baseline', 'installation', 'subscription'`;

/** Every merchant's facts of those kinds, each merchant's in the fold's order. */
async function listMerchantHistories(appId: number): Promise<MerchantHistory[]> {
  const rows = await sql.all<{ appContactId: number; kind: string; subject: string; status: string; occurredAt: unknown; data: string }>(
    `SELECT "appContactId", "kind", "subject", "status", "occurredAt", "data" FROM "MerchantFact"
     WHERE "appId" = ? AND "kind" IN (${FOLDED_KINDS}) ORDER BY "appContactId", "sortKey"`,
    [appId],
  );
  const histories: MerchantHistory[] = [];
  let current: MerchantHistory | undefined;
  for (const row of rows) {
    const id = Number(row.appContactId);
    if (current?.appContactId !== id) histories.push((current = { appContactId: id, facts: [] }));
    current.facts.push({
      kind: row.kind as Fact["kind"],
      subject: row.subject,
      status: row.status,
      occurredAt: toDate(row.occurredAt),
      data: JSON.parse(row.data),
    });
  }
  return histories;
}

export type CohortMerchant = { contactId: number; shop: string | null; name: string | null; mrr: number | null; plan: string | null };

/** The merchants (at most `limit`, by shop domain) of a set of the app's appContactIds. */
async function listCohortMerchants(appId: number, appContactIds: number[], limit: number): Promise<CohortMerchant[]> {
  if (appContactIds.length === 0) return [];
  const ids = appContactIds.slice(0, 5000);
  const rows = await sql.all<Record<string, unknown>>(
    `SELECT c."id", c."externalId", coalesce(c."company", c."name") AS "name",
       (SELECT v."value" FROM "CustomDataValue" v WHERE v."appContactId" = ac."id" AND v."key" = 'mrr_usd') AS "mrr",
       (SELECT v."value" FROM "CustomDataValue" v WHERE v."appContactId" = ac."id" AND v."key" = 'plan') AS "plan"
     FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId"
     WHERE ac."appId" = ? AND ac."id" IN (${ids.map(() => "?").join(", ")})
     ORDER BY c."externalId" LIMIT ?`,
    [appId, ...ids, limit],
  );
  return rows.map((row) => ({
    contactId: Number(row.id),
    shop: (row.externalId as string | null) ?? null,
    name: (row.name as string | null) ?? null,
    mrr: row.mrr === null || row.mrr === undefined ? null : Number(row.mrr),
    plan: (row.plan as string | null) ?? null,
  }));
}

/** A cohort key as the dashboard links it: a figure's name, with its month where it has one. */
export const COHORT_KEY =
  /^(?:mrr|active|paying|trialing|frozen|free|churned|trial-converted|trial-lost|trial-in-progress|(?:new|expansion|contraction|churned|logo-churn):\d{4}-\d{2})$/;

export type AppInsights = Omit<Insights, "cohorts"> & {
  /** How many merchants stand behind each figure, by cohort key. */
  cohortSizes: Record<string, number>;
  /** The merchants behind the requested figure. */
  cohort: { key: string; total: number; merchants: CohortMerchant[] } | null;
};

export async function appInsights(
  appId: number,
  options: { now?: Date; days?: number; cohort?: string | null; limit?: number } = {},
): Promise<AppInsights> {
  const now = options.now ?? new Date();
  const { cohorts, ...insights } = computeInsights(await listMerchantHistories(appId), { now, days: options.days ?? 90 });
  const cohortSizes = Object.fromEntries([...cohorts].map(([key, ids]) => [key, ids.size]));
  const key = options.cohort && COHORT_KEY.test(options.cohort) ? options.cohort : null;
  const ids = key ? [...(cohorts.get(key) ?? [])] : [];
  return {
    ...insights,
    cohortSizes,
    cohort: key ? { key, total: ids.length, merchants: await listCohortMerchants(appId, ids, options.limit ?? 200) } : null,
  };
}
