// The cached shop details (from the Admin API or shop webhooks): read on every admin page,
// fetched only on install and refreshed by shop/update.
import { sql } from "../db.server";
import { toDate, type Sql } from "../db/sql.server";

export type ShopDetails = {
  domain: string;
  name: string;
  email: string | null;
  ownerName: string | null;
  planName: string | null;
  planDisplayName: string | null;
  currency: string | null;
  timezone: string | null;
  /** The primary storefront domain's host (www.example.com), or null when Shopify gave none. */
  primaryDomain: string | null;
  sourceUpdatedAt: Date;
};

/** Saves details unless the stored ones come from a newer source; true when saved. */
export async function saveShopDetails(details: ShopDetails, db: Sql = sql): Promise<boolean> {
  const { changes } = await db.run(
    `INSERT INTO "Shop" ("domain", "name", "email", "ownerName", "planName", "planDisplayName", "currency", "timezone", "primaryDomain", "sourceUpdatedAt", "refreshedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("domain") DO UPDATE SET "name" = excluded."name", "email" = excluded."email", "ownerName" = excluded."ownerName",
       "planName" = excluded."planName", "planDisplayName" = excluded."planDisplayName", "currency" = excluded."currency",
       "timezone" = excluded."timezone", "primaryDomain" = excluded."primaryDomain", "sourceUpdatedAt" = excluded."sourceUpdatedAt",
       "refreshedAt" = excluded."refreshedAt"
     WHERE "Shop"."sourceUpdatedAt" <= excluded."sourceUpdatedAt"`,
    [
      details.domain,
      details.name,
      details.email,
      details.ownerName,
      details.planName,
      details.planDisplayName,
      details.currency,
      details.timezone,
      details.primaryDomain,
      details.sourceUpdatedAt,
      new Date(),
    ],
  );
  return changes > 0;
}

export async function findShopDetails(domain: string, db: Sql = sql): Promise<ShopDetails | null> {
  const row = await db.one(`SELECT * FROM "Shop" WHERE "domain" = ?`, [domain]);
  if (!row) return null;
  return {
    domain: String(row.domain),
    name: String(row.name),
    email: (row.email as string | null) ?? null,
    ownerName: (row.ownerName as string | null) ?? null,
    planName: (row.planName as string | null) ?? null,
    planDisplayName: (row.planDisplayName as string | null) ?? null,
    currency: (row.currency as string | null) ?? null,
    timezone: (row.timezone as string | null) ?? null,
    primaryDomain: (row.primaryDomain as string | null) ?? null,
    sourceUpdatedAt: toDate(row.sourceUpdatedAt),
  };
}

/**
 * Installed shops (an offline session) whose cached details predate the primary domain: the
 * upkeep asks Shopify for it (shop-domains.server.ts).
 */
export async function listInstalledShopsWithoutPrimaryDomain(limit: number, db: Sql = sql): Promise<string[]> {
  const rows = await db.all<{ domain: string }>(
    `SELECT s."domain" FROM "Shop" s
     WHERE s."primaryDomain" IS NULL AND EXISTS (SELECT 1 FROM "Session" x WHERE x."shop" = s."domain" AND x."isOnline" = ?)
     ORDER BY s."domain" LIMIT ?`,
    [false, limit],
  );
  return rows.map((row) => String(row.domain));
}

/** Fills in a primary domain the cache lacks, and only that: newer details keep theirs. */
export async function savePrimaryDomain(domain: string, primaryDomain: string, db: Sql = sql): Promise<boolean> {
  const { changes } = await db.run(`UPDATE "Shop" SET "primaryDomain" = ? WHERE "domain" = ? AND "primaryDomain" IS NULL`, [primaryDomain, domain]);
  return changes > 0;
}

/** Shop details from a REST-shaped shop payload (shop/update, app/uninstalled). */
export function shopDetailsFromPayload(domain: string, payload: Record<string, unknown>, fallbackTime: Date): ShopDetails {
  const updated = new Date(String(payload.updated_at ?? ""));
  return {
    domain,
    name: String(payload.name ?? domain),
    email: (payload.email as string | undefined) ?? null,
    ownerName: (payload.shop_owner as string | undefined) ?? null,
    planName: (payload.plan_name as string | undefined) ?? null,
    planDisplayName: (payload.plan_display_name as string | undefined) ?? null,
    currency: (payload.currency as string | undefined) ?? null,
    timezone: (payload.iana_timezone as string | undefined) ?? null,
    primaryDomain: typeof payload.domain === "string" && payload.domain ? payload.domain : null,
    sourceUpdatedAt: Number.isNaN(updated.getTime()) ? fallbackTime : updated,
  };
}
