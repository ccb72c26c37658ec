// The cached shop details (from the Admin API or shop webhooks): read on every admin page,
// fetched only on install and refreshed by shop/update.
import { sql } from "../db.server";
import { toDate, type Sql } from "../db/sql.server";

export type ShopDetails = {
  domain: string;
  /** Shopify's numeric shop id, when the source gave it. */
  shopId: string | null;
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

/** Saves details unless the stored ones come from a newer source; true when saved. A shop id is kept either way. */
export async function saveShopDetails(details: ShopDetails, db: Sql = sql): Promise<boolean> {
  if (details.shopId) await saveShopId(details.domain, details.shopId, db);
  const { changes } = await db.run(
    `INSERT INTO "Shop" ("domain", "shopId", "name", "email", "ownerName", "planName", "planDisplayName", "currency", "timezone", "primaryDomain", "sourceUpdatedAt", "refreshedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("domain") DO UPDATE SET "name" = excluded."name", "email" = excluded."email", "ownerName" = excluded."ownerName",
       "planName" = excluded."planName", "planDisplayName" = excluded."planDisplayName", "currency" = excluded."currency",
       "timezone" = excluded."timezone", "primaryDomain" = excluded."primaryDomain", "sourceUpdatedAt" = excluded."sourceUpdatedAt",
       "refreshedAt" = excluded."refreshedAt"
     WHERE "Shop"."sourceUpdatedAt" <= excluded."sourceUpdatedAt"`,
    [
      details.domain,
      details.shopId,
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
    shopId: (row.shopId as string | null) ?? null,
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
    shopId: shopIdOf(payload.id) ?? null,
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

/** The numeric id in `gid://shopify/Shop/123` (or `123` itself). */
export function shopIdOf(value: unknown): string | undefined {
  const match = /(?:^|\/)(\d+)$/.exec(String(value ?? ""));
  return match ? match[1] : undefined;
}

/** Records a shop's Shopify id where none is stored (a shop's id never changes). */
export async function saveShopId(domain: string, shopId: string, db: Sql = sql): Promise<void> {
  await db.run(`UPDATE "Shop" SET "shopId" = ? WHERE "domain" = ? AND "shopId" IS NULL`, [shopId, domain]);
}

/** The stored shops with this Shopify id or this domain: what a payload naming only the id is checked against. */
export async function findShopsByIdOrDomain(shopId: string, domain: string, db: Sql = sql): Promise<{ domain: string; shopId: string | null }[]> {
  const rows = await db.all<{ domain: string; shopId: string | null }>(`SELECT "domain", "shopId" FROM "Shop" WHERE "shopId" = ? OR "domain" = ?`, [
    shopId,
    domain,
  ]);
  return rows.map((row) => ({ domain: row.domain, shopId: row.shopId ?? null }));
}
