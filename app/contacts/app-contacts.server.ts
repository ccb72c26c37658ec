// The AppContact table: a contact's record in one app (verified when, which shop).
import { toDate, type Sql, type SqlValue, type Statement } from "../db/sql.server";
import type { AppContactModel } from "../db/models";

/** A contact's record in one app, as Prisma's schema defines it (its creation time is not read). */
export type AppContactRow = Omit<AppContactModel, "createdAt">;

export function toAppContact(row: Record<string, unknown>): AppContactRow {
  return {
    id: Number(row.id),
    appId: Number(row.appId),
    contactId: Number(row.contactId),
    verifiedAt: row.verifiedAt ? toDate(row.verifiedAt) : null,
    shopifyDomain: (row.shopifyDomain as string | null) ?? null,
    updatedAt: toDate(row.updatedAt),
  };
}

export async function findAppContact(db: Sql, appId: number, contactId: number): Promise<AppContactRow | null> {
  const row = await db.one(
    `SELECT "id", "appId", "contactId", "verifiedAt", "shopifyDomain", "updatedAt" FROM "AppContact" WHERE "appId" = ? AND "contactId" = ?`,
    [appId, contactId],
  );
  return row ? toAppContact(row) : null;
}

/** The contact's record in this app, created on first sight. */
export async function ensureAppContact(db: Sql, appId: number, contactId: number): Promise<AppContactRow> {
  return (await findAppContact(db, appId, contactId)) ?? insertAppContact(db, appId, contactId);
}

/** Creates the contact's record in this app (or, if a concurrent writer just did, reads theirs). */
export async function insertAppContact(db: Sql, appId: number, contactId: number): Promise<AppContactRow> {
  const now = new Date();
  const row = await db.one(
    `INSERT INTO "AppContact" ("appId", "contactId", "createdAt", "updatedAt") VALUES (?, ?, ?, ?) ON CONFLICT ("appId", "contactId") DO NOTHING
     RETURNING "id", "appId", "contactId", "verifiedAt", "shopifyDomain", "updatedAt"`,
    [appId, contactId, now, now],
  );
  return row ? toAppContact(row) : (await findAppContact(db, appId, contactId))!;
}

/**
 * Serialises read-modify-write of one contact's custom data until the transaction ends, so two
 * writes cannot both pass the 100-key check.
 */
export function lockAppContact(db: Sql, appContactId: number): Promise<void> {
  return db.lockRow("AppContact", appContactId);
}

export async function markAppContact(db: Sql, appContactId: number, changes: AppContactChanges): Promise<void> {
  const statement = appContactUpdate(appContactId, changes);
  if (statement) await db.run(statement.text, statement.params);
}

export type AppContactChanges = { verifiedAt?: Date; shopifyDomain?: string; touched?: boolean };

/** The statement recording these changes on the contact's record in an app; null when there are none. */
export function appContactUpdate(appContactId: number, changes: AppContactChanges): Statement | null {
  const sets: string[] = [];
  const params: SqlValue[] = [];
  if (changes.verifiedAt) {
    sets.push(`"verifiedAt" = COALESCE("verifiedAt", ?)`);
    params.push(changes.verifiedAt);
  }
  if (changes.shopifyDomain) {
    sets.push(`"shopifyDomain" = ?`);
    params.push(changes.shopifyDomain);
  }
  if (sets.length === 0 && !changes.touched) return null;
  return { text: `UPDATE "AppContact" SET ${[...sets, `"updatedAt" = ?`].join(", ")} WHERE "id" = ?`, params: [...params, new Date(), appContactId] };
}
