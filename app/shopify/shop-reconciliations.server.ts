// Model functions for ShopReconciliation: when Shopify last confirmed a shop's merchant state,
// what it corrected, and the claim that keeps one shop's reconciliations minutes apart.
import { sql } from "../db.server";
import { toDate, type Sql } from "../db/sql.server";

export type ShopReconciliation = {
  shop: string;
  confirmedAt: Date | null;
  drift: string[] | null;
  driftAt: Date | null;
  outcome: string | null;
};

/**
 * Claims the shop's next reconciliation unless one was claimed less than `minIntervalMs` ago, by
 * any instance: one conditional upsert decides. True when this caller may go ahead.
 */
export async function claimReconciliation(shop: string, now: Date, minIntervalMs: number, db: Sql = sql): Promise<boolean> {
  const row = await db.one(
    `INSERT INTO "ShopReconciliation" ("shop", "claimedAt") VALUES (?, ?)
     ON CONFLICT ("shop") DO UPDATE SET "claimedAt" = excluded."claimedAt" WHERE "ShopReconciliation"."claimedAt" < ?
     RETURNING "shop"`,
    [shop, now, new Date(now.getTime() - minIntervalMs)],
  );
  return row !== undefined;
}

/** Records how a reconciliation ended; `drift` (what it corrected) replaces the last one found, if any. */
export async function recordReconciliation(
  shop: string,
  result: { outcome: string; confirmedAt?: Date; drift?: string[] },
  db: Sql = sql,
): Promise<void> {
  const found = result.drift?.length ? result.drift : null;
  const confirmed = `"outcome" = ?, "confirmedAt" = COALESCE(?, "confirmedAt")`;
  if (found) {
    await db.run(`UPDATE "ShopReconciliation" SET ${confirmed}, "drift" = ?, "driftAt" = ? WHERE "shop" = ?`, [
      result.outcome,
      result.confirmedAt ?? null,
      JSON.stringify(found),
      result.confirmedAt ?? new Date(),
      shop,
    ]);
  } else {
    await db.run(`UPDATE "ShopReconciliation" SET ${confirmed} WHERE "shop" = ?`, [result.outcome, result.confirmedAt ?? null, shop]);
  }
}

export async function findShopReconciliation(shop: string, db: Sql = sql): Promise<ShopReconciliation | null> {
  const row = await db.one<Record<string, unknown>>(
    `SELECT "shop", "confirmedAt", "drift", "driftAt", "outcome" FROM "ShopReconciliation" WHERE "shop" = ?`,
    [shop],
  );
  if (!row) return null;
  return {
    shop: String(row.shop),
    confirmedAt: row.confirmedAt ? toDate(row.confirmedAt) : null,
    drift: row.drift ? (JSON.parse(String(row.drift)) as string[]) : null,
    driftAt: row.driftAt ? toDate(row.driftAt) : null,
    outcome: (row.outcome as string | null) ?? null,
  };
}

/**
 * Installed shops (those with an offline session) not confirmed since `before`, the longest
 * unconfirmed first; at most `limit`.
 */
export async function listShopsToReconcile(before: Date, limit: number, db: Sql = sql): Promise<string[]> {
  const rows = await db.all<{ shop: string }>(
    `SELECT s."shop" FROM "Session" s LEFT JOIN "ShopReconciliation" r ON r."shop" = s."shop"
     WHERE s."isOnline" = ? AND (r."confirmedAt" IS NULL OR r."confirmedAt" < ?)
     GROUP BY s."shop", r."confirmedAt"
     ORDER BY CASE WHEN r."confirmedAt" IS NULL THEN 0 ELSE 1 END, r."confirmedAt", s."shop" LIMIT ?`,
    [false, before, limit],
  );
  return rows.map((row) => row.shop);
}
