// Convot organizations, apps and the Shopify app's own configured app: the tenants
// every other model function is scoped to.
import { sql } from "../db.server";
import { isUniqueViolation, type Sql } from "../db/sql.server";
import { newAppKey, newIdentitySecret } from "./secrets";
import { APP_KEY } from "../contacts/validation";

export type ConvotApp = {
  id: number;
  organizationId: number;
  name: string;
  publicKey: string;
  identitySecret: string;
  requireIdentityVerification: boolean;
  shop: string | null;
};

const APP_COLUMNS = `"id", "organizationId", "name", "publicKey", "identitySecret", "requireIdentityVerification", "shop"`;

function toApp(row: Record<string, unknown> | undefined): ConvotApp | null {
  if (!row) return null;
  return {
    id: Number(row.id),
    organizationId: Number(row.organizationId),
    name: String(row.name),
    publicKey: String(row.publicKey),
    identitySecret: String(row.identitySecret),
    requireIdentityVerification: Boolean(row.requireIdentityVerification),
    shop: (row.shop as string | null) ?? null,
  };
}

export async function createOrganization(name: string, db: Sql = sql): Promise<{ id: number; name: string }> {
  const row = await db.one<{ id: number }>(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?) RETURNING "id"`, [name, new Date()]);
  return { id: Number(row!.id), name };
}

export async function createApp(
  input: {
    organizationId: number;
    name: string;
    publicKey?: string;
    identitySecret?: string;
    requireIdentityVerification?: boolean;
    shop?: string | null;
  },
  db: Sql = sql,
): Promise<ConvotApp> {
  const now = new Date();
  const row = await db.one(
    `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "requireIdentityVerification", "shop", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING ${APP_COLUMNS}`,
    [
      input.organizationId,
      input.name,
      input.publicKey ?? newAppKey(),
      input.identitySecret ?? newIdentitySecret(),
      input.requireIdentityVerification ?? false,
      input.shop ?? null,
      now,
      now,
    ],
  );
  appsChanged(db);
  return toApp(row)!;
}

// The widget names its app on every call; apps change rarely, so lookups are cached
// briefly in memory (docs/decisions/040). A write clears the cache of every instance through
// the seam's notify, once it has committed (docs/decisions/024); APP_CACHE_MS bounds what a
// lost notification leaves behind.
const APP_CACHE_MS = 5_000;
const APPS_CHANNEL = "cache:apps";
const appCache = new Map<string, { app: ConvotApp | null; until: number }>();
// Bumped by every change: a lookup under way meanwhile may have read the app as it was, so
// what it found is returned but not remembered.
let appGeneration = 0;

/** After a write to "App" (inside a transaction, pass it as `db`): every instance forgets its cached apps. */
export function appsChanged(db: Sql = sql): void {
  db.notify([APPS_CHANNEL]);
}

sql.listen((channels) => {
  if (channels !== null && !channels.includes(APPS_CHANNEL)) return;
  appGeneration++;
  appCache.clear();
});

/** Inside a transaction, pass it as `db`: a query outside it reads only what was committed before it. */
export async function findAppByPublicKey(publicKey: string, db: Sql = sql): Promise<ConvotApp | null> {
  // Whatever a caller sends (a token's unverified claim, ?app=): only a well-formed key is looked up.
  if (!APP_KEY.test(publicKey)) return null;
  const cached = appCache.get(publicKey);
  if (cached && cached.until > Date.now()) return cached.app;
  const before = appGeneration;
  const app = toApp(await db.one(`SELECT ${APP_COLUMNS} FROM "App" WHERE "publicKey" = ?`, [publicKey]));
  if (appGeneration !== before) return app;
  if (appCache.size > 10_000) appCache.clear();
  appCache.set(publicKey, { app, until: Date.now() + APP_CACHE_MS });
  return app;
}

/** A shop's storefront app (apps with a `shop` are one per shop). */
export async function findAppByShop(shop: string, db: Sql = sql): Promise<ConvotApp | null> {
  return toApp(await db.one(`SELECT ${APP_COLUMNS} FROM "App" WHERE "shop" = ?`, [shop]));
}

export async function findAppById(id: number): Promise<ConvotApp | null> {
  return toApp(await sql.one(`SELECT ${APP_COLUMNS} FROM "App" WHERE "id" = ?`, [id]));
}

export async function updateAppSettings(
  appId: number,
  changes: { requireIdentityVerification?: boolean; identitySecret?: string; name?: string },
): Promise<void> {
  const sets: string[] = [];
  const params: (string | boolean | Date | number)[] = [];
  if (changes.name !== undefined) {
    sets.push(`"name" = ?`);
    params.push(changes.name);
  }
  if (changes.identitySecret !== undefined) {
    sets.push(`"identitySecret" = ?`);
    params.push(changes.identitySecret);
  }
  if (changes.requireIdentityVerification !== undefined) {
    sets.push(`"requireIdentityVerification" = ?`);
    params.push(changes.requireIdentityVerification);
  }
  if (sets.length === 0) return;
  await sql.run(`UPDATE "App" SET ${sets.join(", ")}, "updatedAt" = ? WHERE "id" = ?`, [...params, new Date(), appId]);
  appsChanged();
}

/**
 * Makes sure the Shopify app's own Convot app exists with the configured key and secret
 * (idempotent; the configuration wins over what the database holds).
 */
export async function ensureConfiguredApp(config: { appKey: string; identitySecret: string; name?: string }): Promise<ConvotApp> {
  try {
    return await ensureConfiguredAppOnce(config);
  } catch (error) {
    // Several instances booting on an empty database at once: one created it; the others read it.
    if (!isUniqueViolation(error)) throw error;
    return ensureConfiguredAppOnce(config);
  }
}

async function ensureConfiguredAppOnce(config: { appKey: string; identitySecret: string; name?: string }): Promise<ConvotApp> {
  return sql.transaction(async (tx) => {
    const existing = toApp(await tx.one(`SELECT ${APP_COLUMNS} FROM "App" WHERE "publicKey" = ?`, [config.appKey]));
    if (existing) {
      if (existing.identitySecret !== config.identitySecret || !existing.requireIdentityVerification) {
        await tx.run(`UPDATE "App" SET "identitySecret" = ?, "requireIdentityVerification" = ?, "updatedAt" = ? WHERE "id" = ?`, [
          config.identitySecret,
          true,
          new Date(),
          existing.id,
        ]);
      }
      appsChanged(tx);
      return { ...existing, identitySecret: config.identitySecret, requireIdentityVerification: true };
    }
    const organization = await createOrganization(`${config.name ?? "Convot for Shopify"} (developer)`, tx);
    return createApp(
      // Merchants are always identified from our own server-signed admin pages: refuse anything unsigned.
      {
        organizationId: organization.id,
        name: config.name ?? "Convot for Shopify",
        publicKey: config.appKey,
        identitySecret: config.identitySecret,
        requireIdentityVerification: true,
      },
      tx,
    );
  });
}
