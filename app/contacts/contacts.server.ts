// The Contact table: an organization's people, matched by external_id or email across its apps.
import { toDate, type Sql, type SqlValue, type Statement } from "../db/sql.server";
import type { ContactModel } from "../db/models";
import type { ContactFields } from "./validation";

/** A contact's row, as Prisma's schema defines it. */
export type ContactRow = ContactModel;

const CONTACT_COLUMNS = `"id", "organizationId", "externalId", "email", "emailTrusted", "name", "company", "phone", "avatarUrl", "createdAt", "updatedAt"`;
export const CONTACT_COLUMNS_OF_C = CONTACT_COLUMNS.replace(/"(\w+)"/g, 'c."$1"');
/** Email lookups skip a contact that holds an external_id and an email nobody vouched for (ADR 007). */
export const VOUCHED_EMAIL = (alias = "") => `(${alias}"externalId" IS NULL OR ${alias}"emailTrusted" = ?)`;
const CONTACT_FIELD_COLUMNS: Record<keyof ContactFields, string> = {
  email: `"email"`,
  externalId: `"externalId"`,
  name: `"name"`,
  company: `"company"`,
  phone: `"phone"`,
  avatarUrl: `"avatarUrl"`,
};

export function toContact(row: Record<string, unknown> | undefined): ContactRow | null {
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

/**
 * The statement setting these fields of the contact; null when there are none. `emailTrusted`:
 * whether the writer vouches for an email it sets (see findContactByEmail). `fillOnly`: each
 * field is set only where it is still blank when the statement runs, whatever the caller read
 * before (an unverified writer may fill blanks, never overwrite what another wrote meanwhile).
 */
export function contactFieldsUpdate(contactId: number, changes: ContactFields, emailTrusted = true, fillOnly = false): Statement | null {
  const keys = Object.keys(changes) as (keyof ContactFields)[];
  if (keys.length === 0) return null;
  const sets = keys.map((key) =>
    fillOnly ? `${CONTACT_FIELD_COLUMNS[key]} = COALESCE(${CONTACT_FIELD_COLUMNS[key]}, ?)` : `${CONTACT_FIELD_COLUMNS[key]} = ?`,
  );
  const values: SqlValue[] = keys.map((key) => changes[key] ?? null);
  if (changes.email !== undefined) {
    // (The right-hand side reads the row as it was before this statement: both engines agree.)
    sets.push(fillOnly ? `"emailTrusted" = CASE WHEN "email" IS NULL THEN ? ELSE "emailTrusted" END` : `"emailTrusted" = ?`);
    values.push(emailTrusted);
  }
  return { text: `UPDATE "Contact" SET ${sets.join(", ")}, "updatedAt" = ? WHERE "id" = ?`, params: [...values, new Date(), contactId] };
}
