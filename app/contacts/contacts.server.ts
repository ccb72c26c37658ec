// Model functions for contacts, their per-app record (AppContact) and per-app custom data.
// Every function that reads per-app data takes the app id and puts it in the WHERE.
import { sql } from "../db.server";
import { toDate, type Sql, type SqlValue, type Statement } from "../db/sql.server";
import type { CustomDataPlan } from "./custom-data";
import { decodeCustomValue, encodeCustomValue, normalizeEmail, type ContactFields, type CustomValue } from "./validation";

export type ContactRow = {
  id: number;
  organizationId: number;
  externalId: string | null;
  email: string | null;
  /** Whether whoever wrote `email` vouched for it (ADR 007). */
  emailTrusted: boolean;
  name: string | null;
  company: string | null;
  phone: string | null;
  avatarUrl: string | null;
  createdAt: Date;
  updatedAt: Date;
};

export type AppContactRow = { id: number; appId: number; contactId: number; verifiedAt: Date | null; shopifyDomain: string | null; updatedAt: Date };

export type ContactInApp = ContactRow & {
  appContact: AppContactRow;
  customData: Record<string, CustomValue>;
};

const CONTACT_COLUMNS = `"id", "organizationId", "externalId", "email", "emailTrusted", "name", "company", "phone", "avatarUrl", "createdAt", "updatedAt"`;
const CONTACT_COLUMNS_OF_C = CONTACT_COLUMNS.replace(/"(\w+)"/g, 'c."$1"');
/** Email lookups skip a contact that holds an external_id and an email nobody vouched for (ADR 007). */
const VOUCHED_EMAIL = (alias = "") => `(${alias}"externalId" IS NULL OR ${alias}"emailTrusted" = ?)`;
const CONTACT_FIELD_COLUMNS: Record<keyof ContactFields, string> = {
  email: `"email"`,
  externalId: `"externalId"`,
  name: `"name"`,
  company: `"company"`,
  phone: `"phone"`,
  avatarUrl: `"avatarUrl"`,
};

function toContact(row: Record<string, unknown> | undefined): ContactRow | null {
  if (!row) return null;
  return {
    id: Number(row.id),
    organizationId: Number(row.organizationId),
    externalId: (row.externalId as string | null) ?? null,
    email: (row.email as string | null) ?? null,
    emailTrusted: row.emailTrusted === undefined || Boolean(row.emailTrusted),
    name: (row.name as string | null) ?? null,
    company: (row.company as string | null) ?? null,
    phone: (row.phone as string | null) ?? null,
    avatarUrl: (row.avatarUrl as string | null) ?? null,
    createdAt: toDate(row.createdAt),
    updatedAt: toDate(row.updatedAt),
  };
}

function toAppContact(row: Record<string, unknown>): AppContactRow {
  return {
    id: Number(row.id),
    appId: Number(row.appId),
    contactId: Number(row.contactId),
    verifiedAt: row.verifiedAt ? toDate(row.verifiedAt) : null,
    shopifyDomain: (row.shopifyDomain as string | null) ?? null,
    updatedAt: toDate(row.updatedAt),
  };
}

export async function findContactByExternalId(db: Sql, organizationId: number, externalId: string) {
  return toContact(
    await db.one(`SELECT ${CONTACT_COLUMNS} FROM "Contact" WHERE "organizationId" = ? AND "externalId" = ?`, [organizationId, externalId]),
  );
}

/** The contact, when this app knows it (its custom data is not read). */
export async function findContactKnownToApp(db: Sql, appId: number, contactId: number): Promise<ContactRow | null> {
  return toContact(
    await db.one(
      `SELECT c."id", c."organizationId", c."externalId", c."email", c."emailTrusted", c."name", c."company", c."phone", c."avatarUrl",
         c."createdAt", c."updatedAt"
       FROM "Contact" c JOIN "AppContact" ac ON ac."contactId" = c."id" WHERE ac."appId" = ? AND c."id" = ?`,
      [appId, contactId],
    ),
  );
}

/**
 * Every contact of the organization carrying this email, vouched for or not: a redaction must
 * not leave the requester's address behind on any of them (ADR 007).
 */
export async function findContactsByEmail(db: Sql, organizationId: number, email: string): Promise<ContactRow[]> {
  const rows = await db.all(`SELECT ${CONTACT_COLUMNS} FROM "Contact" WHERE "organizationId" = ? AND "email" = ? ORDER BY "id"`, [
    organizationId,
    email,
  ]);
  return rows.map((row) => toContact(row)!);
}

/**
 * The oldest contact an email may be matched to; with `withoutExternalId`, only one that has no
 * external_id. Never one whose email came, unvouched, beside a signed external_id: whoever holds
 * that id would get whatever the email match brings (ADR 007).
 */
export async function findContactByEmail(db: Sql, organizationId: number, email: string, withoutExternalId: boolean) {
  return toContact(
    await db.one(
      `SELECT ${CONTACT_COLUMNS} FROM "Contact" WHERE "organizationId" = ? AND "email" = ?
       AND ${withoutExternalId ? `"externalId" IS NULL` : VOUCHED_EMAIL()} ORDER BY "id" LIMIT 1`,
      withoutExternalId ? [organizationId, email] : [organizationId, email, true],
    ),
  );
}

/**
 * Inserts a contact. Returns null when another writer created the same person first: the same
 * external_id, or — without one — the same email (a partial unique index, ADR 017). ON CONFLICT
 * DO NOTHING keeps a PostgreSQL transaction usable; the caller matches again.
 */
export async function insertContact(db: Sql, organizationId: number, fields: ContactFields, emailTrusted = true): Promise<ContactRow | null> {
  const now = new Date();
  const row = await db.one(
    `INSERT INTO "Contact" ("organizationId", "externalId", "email", "emailTrusted", "name", "company", "phone", "avatarUrl", "createdAt", "updatedAt")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING ${CONTACT_COLUMNS}`,
    [
      organizationId,
      fields.externalId ?? null,
      fields.email ?? null,
      emailTrusted,
      fields.name ?? null,
      fields.company ?? null,
      fields.phone ?? null,
      fields.avatarUrl ?? null,
      now,
      now,
    ],
  );
  return toContact(row);
}

/** `emailTrusted`: whether the writer vouches for an email it sets (see findContactByEmail). */
export async function updateContactFields(db: Sql, contactId: number, changes: ContactFields, emailTrusted = true): Promise<void> {
  const statement = contactFieldsUpdate(contactId, changes, emailTrusted);
  if (statement) await db.run(statement.text, statement.params);
}

/** The statement setting these fields of the contact; null when there are none. */
export function contactFieldsUpdate(contactId: number, changes: ContactFields, emailTrusted = true): Statement | null {
  const keys = Object.keys(changes) as (keyof ContactFields)[];
  if (keys.length === 0) return null;
  const sets = keys.map((key) => `${CONTACT_FIELD_COLUMNS[key]} = ?`);
  const values: SqlValue[] = keys.map((key) => changes[key] ?? null);
  if (changes.email !== undefined) {
    sets.push(`"emailTrusted" = ?`);
    values.push(emailTrusted);
  }
  return { text: `UPDATE "Contact" SET ${sets.join(", ")}, "updatedAt" = ? WHERE "id" = ?`, params: [...values, new Date(), contactId] };
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

export async function readCustomData(db: Sql, appContactId: number): Promise<Record<string, CustomValue>> {
  const rows = await db.all<{ key: string; value: string; type: string }>(
    `SELECT "key", "value", "type" FROM "CustomDataValue" WHERE "appContactId" = ?`,
    [appContactId],
  );
  return Object.fromEntries(rows.map((row) => [row.key, decodeCustomValue(row.value, row.type)]));
}

/** The newest assertedAt among these keys of the contact's custom data (null when none is stored). */
export async function latestAssertedAt(db: Sql, appContactId: number, keys: readonly string[]): Promise<Date | null> {
  const row = await db.one<{ at: unknown }>(
    `SELECT MAX("assertedAt") AS "at" FROM "CustomDataValue" WHERE "appContactId" = ? AND "key" IN (${keys.map(() => "?").join(", ")})`,
    [appContactId, ...keys],
  );
  return row?.at ? toDate(row.at) : null;
}

/**
 * Applies a merge plan. Each key carries `assertedAt`, when its value was true at the source:
 * a write older than what is stored changes nothing (late webhooks never roll state back).
 * With `fillOnly`, existing keys are left alone even when the plan names them (a concurrent
 * write may have filled the blank since the plan was made). With `authoritative`, the plan is
 * written whatever is stored: its writer has seen every fact about these keys (the merchant fold).
 */
export async function applyCustomData(
  db: Sql,
  appId: number,
  appContactId: number,
  plan: CustomDataPlan,
  options: CustomDataWriteOptions & { touch?: boolean },
): Promise<void> {
  for (const { text, params } of customDataWrites(appId, appContactId, plan, options)) await db.run(text, params);
  // (`touch: false`: the caller updates the record itself, once, with its other changes.)
  if (options.touch !== false && (plan.remove.length || Object.keys(plan.set).length)) await markAppContact(db, appContactId, { touched: true });
}

export type CustomDataWriteOptions = {
  assertedAt: Date;
  fillOnly?: boolean;
  authoritative?: boolean;
  /**
   * Only keys the contact holds already are written (an UPDATE, not an upsert): a key deleted
   * meanwhile stays deleted, as if this write had come first. For a writer that planned from a
   * read outside its transaction: it never adds keys past the per-contact limit.
   */
  existingOnly?: boolean;
};

/** The statements applying a merge plan (see applyCustomData). */
export function customDataWrites(appId: number, appContactId: number, plan: CustomDataPlan, options: CustomDataWriteOptions): Statement[] {
  const statements: Statement[] = [];
  const newer = options.authoritative ? "" : `"assertedAt" <= ?`;
  for (const [key, raw] of Object.entries(plan.set)) {
    const { value, type } = encodeCustomValue(raw);
    if (options.existingOnly) {
      if (options.fillOnly) continue;
      statements.push({
        text: `UPDATE "CustomDataValue" SET "value" = ?, "type" = ?, "assertedAt" = ? WHERE "appContactId" = ? AND "key" = ?${newer ? ` AND ${newer}` : ""}`,
        params: [value, type, options.assertedAt, appContactId, key, ...(newer ? [options.assertedAt] : [])],
      });
      continue;
    }
    statements.push({
      text: `INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt") VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT ("appContactId", "key") DO ${
         options.fillOnly
           ? "NOTHING"
           : `UPDATE SET "value" = excluded."value", "type" = excluded."type", "assertedAt" = excluded."assertedAt"
              ${options.authoritative ? "" : `WHERE "CustomDataValue"."assertedAt" <= excluded."assertedAt"`}`
       }`,
      params: [appContactId, appId, key, value, type, options.assertedAt],
    });
  }
  for (const key of plan.remove) {
    statements.push({
      text: `DELETE FROM "CustomDataValue" WHERE "appContactId" = ? AND "key" = ? AND "assertedAt" <= ?`,
      params: [appContactId, key, options.assertedAt],
    });
  }
  return statements;
}

/** A contact as an identify finds it: its record in this app (null when it has none yet) and its custom data there. */
export type ContactWithAppRecord = { contact: ContactRow; appContact: AppContactRow | null; customData: Record<string, CustomValue> };

/**
 * The contact a match names, with its record and custom data in this app, in one query: by
 * external_id, or by email (the oldest such contact; see findContactByEmail).
 */
export async function findContactWithAppRecord(
  db: Sql,
  app: { id: number; organizationId: number },
  match: { externalId: string } | { email: string; withoutExternalId: boolean },
): Promise<ContactWithAppRecord | null> {
  const params: SqlValue[] = [app.id];
  let where: string;
  if ("externalId" in match) {
    where = `c."organizationId" = ? AND c."externalId" = ?`;
    params.push(app.organizationId, match.externalId);
  } else {
    const vouched = match.withoutExternalId ? `"externalId" IS NULL` : VOUCHED_EMAIL();
    where = `c."id" = (SELECT "id" FROM "Contact" WHERE "organizationId" = ? AND "email" = ? AND ${vouched} ORDER BY "id" LIMIT 1)`;
    params.push(app.organizationId, match.email, ...(match.withoutExternalId ? [] : [true]));
  }
  const rows = await db.all(
    `SELECT ${CONTACT_COLUMNS_OF_C}, ac."id" AS "acId", ac."verifiedAt" AS "acVerifiedAt",
       ac."shopifyDomain" AS "acShopifyDomain", ac."updatedAt" AS "acUpdatedAt", v."key" AS "cdKey", v."value" AS "cdValue", v."type" AS "cdType"
     FROM "Contact" c LEFT JOIN "AppContact" ac ON ac."contactId" = c."id" AND ac."appId" = ?
     LEFT JOIN "CustomDataValue" v ON v."appContactId" = ac."id"
     WHERE ${where}`,
    // (The app id comes first: its placeholder is in the join.)
    params,
  );
  if (rows.length === 0) return null;
  const first = rows[0];
  const contact = toContact(first)!;
  const appContact =
    first.acId == null
      ? null
      : toAppContact({
          id: first.acId,
          appId: app.id,
          contactId: contact.id,
          verifiedAt: first.acVerifiedAt,
          shopifyDomain: first.acShopifyDomain,
          updatedAt: first.acUpdatedAt,
        });
  const customData: Record<string, CustomValue> = {};
  for (const row of rows) if (row.cdKey != null) customData[row.cdKey as string] = decodeCustomValue(row.cdValue as string, row.cdType as string);
  return { contact, appContact, customData };
}

const CONTACT_IN_APP_COLUMNS = `SELECT c."id", c."organizationId", c."externalId", c."email", c."emailTrusted", c."name", c."company", c."phone", c."avatarUrl",
  c."createdAt", c."updatedAt", ac."id" AS "acId", ac."verifiedAt" AS "acVerifiedAt", ac."shopifyDomain" AS "acShopifyDomain",
  ac."updatedAt" AS "acUpdatedAt", ac."appId" AS "acAppId"`;
const CONTACT_IN_APP_SELECT = `${CONTACT_IN_APP_COLUMNS} FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId"`;

function toContactInApp(row: Record<string, unknown>, customData: Record<string, CustomValue>): ContactInApp {
  const contact = toContact(row)!;
  return {
    ...contact,
    appContact: toAppContact({
      id: row.acId,
      appId: row.acAppId,
      contactId: contact.id,
      verifiedAt: row.acVerifiedAt,
      shopifyDomain: row.acShopifyDomain,
      updatedAt: row.acUpdatedAt,
    }),
    customData,
  };
}

/** A contact as one app sees it; null when the contact has no record in that app. */
export async function findContactInApp(appId: number, contactId: number, db: Sql = sql): Promise<ContactInApp | null> {
  const row = await db.one(`${CONTACT_IN_APP_SELECT} WHERE ac."appId" = ? AND ac."contactId" = ?`, [appId, contactId]);
  if (!row) return null;
  return toContactInApp(row, await readCustomData(db, Number(row.acId)));
}

export type ContactFilters = { externalId?: string; email?: string; customData?: Record<string, string> };

/**
 * One page of the app's contacts, newest first; `hasMore` says whether another page follows.
 * With custom-data filters, the first one drives the query from its index, already in order,
 * and the others are checked per row: a page over 100,000 contacts reads ~one page of rows.
 */
export async function listContactsInApp(
  appId: number,
  filters: ContactFilters,
  page: { page: number; perPage: number },
): Promise<{ contacts: ContactInApp[]; hasMore: boolean }> {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const [driver, ...others] = Object.entries(filters.customData ?? {});
  let from: string;
  let order: string;
  if (driver) {
    from = `FROM "CustomDataValue" f JOIN "AppContact" ac ON ac."id" = f."appContactId" JOIN "Contact" c ON c."id" = ac."contactId"`;
    where.push(`f."appId" = ?`, `f."key" = ?`, `f."value" = ?`, `ac."appId" = ?`);
    params.push(appId, driver[0], driver[1], appId);
    order = `f."appContactId" DESC`;
  } else {
    from = `FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId"`;
    where.push(`ac."appId" = ?`);
    params.push(appId);
    order = `ac."id" DESC`;
  }
  if (filters.externalId !== undefined) {
    where.push(`c."externalId" = ?`);
    params.push(filters.externalId);
  }
  if (filters.email !== undefined) {
    where.push(`c."email" = ?`, VOUCHED_EMAIL("c."));
    params.push(normalizeEmail(filters.email), true);
  }
  for (const [key, value] of others) {
    where.push(`EXISTS (SELECT 1 FROM "CustomDataValue" v WHERE v."appContactId" = ac."id" AND v."key" = ? AND v."value" = ?)`);
    params.push(key, value);
  }
  const rows = await sql.all(`${CONTACT_IN_APP_COLUMNS} ${from} WHERE ${where.join(" AND ")} ORDER BY ${order} LIMIT ? OFFSET ?`, [
    ...params,
    page.perPage + 1,
    (page.page - 1) * page.perPage,
  ]);
  const hasMore = rows.length > page.perPage;
  const pageRows = rows.slice(0, page.perPage);
  const customData = await readCustomDataFor(pageRows.map((row) => Number(row.acId)));
  return { contacts: pageRows.map((row) => toContactInApp(row, customData.get(Number(row.acId)) ?? {})), hasMore };
}

async function readCustomDataFor(appContactIds: number[]): Promise<Map<number, Record<string, CustomValue>>> {
  const byId = new Map<number, Record<string, CustomValue>>();
  if (appContactIds.length === 0) return byId;
  const rows = await sql.all<{ appContactId: number; key: string; value: string; type: string }>(
    `SELECT "appContactId", "key", "value", "type" FROM "CustomDataValue" WHERE "appContactId" IN (${appContactIds.map(() => "?").join(", ")})`,
    appContactIds,
  );
  for (const row of rows) {
    const id = Number(row.appContactId);
    const data = byId.get(id) ?? {};
    data[row.key] = decodeCustomValue(row.value, row.type);
    byId.set(id, data);
  }
  return byId;
}

/**
 * Erases what this app holds on the contact (custom data, events, its record); the contact
 * itself goes too when no other app of the organization knows it. False when unknown here.
 */
export async function eraseContactFromApp(appId: number, contactId: number): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const appContact = await findAppContact(tx, appId, contactId);
    if (!appContact) return false;
    await tx.run(`DELETE FROM "AppContact" WHERE "id" = ?`, [appContact.id]);
    const other = await tx.one(`SELECT "id" FROM "AppContact" WHERE "contactId" = ? LIMIT 1`, [contactId]);
    if (!other) await tx.run(`DELETE FROM "Contact" WHERE "id" = ?`, [contactId]);
    return true;
  });
}
