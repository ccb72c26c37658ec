// Contacts as one app sees them: a contact joined with its record and custom data in that app;
// every query takes the app id and puts it in the WHERE.
import { sql } from "../db.server";
import type { Sql, SqlValue } from "../db/sql.server";
import { findAppContact, toAppContact, type AppContactRow } from "./app-contacts.server";
import { CONTACT_COLUMNS_OF_C, toContact, VOUCHED_EMAIL, type ContactRow } from "./contacts.server";
import { readCustomData, readCustomDataFor } from "./custom-data-values.server";
import { decodeCustomValue, normalizeEmail, type CustomValue } from "./validation";

export type ContactInApp = ContactRow & {
  appContact: AppContactRow;
  customData: Record<string, CustomValue>;
};

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
  options: { customData?: boolean } = {},
): Promise<ContactWithAppRecord | null> {
  // (`customData: false`: for a caller that reads it itself, under the record's lock.)
  const withData = options.customData !== false;
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
       ac."shopifyDomain" AS "acShopifyDomain", ac."updatedAt" AS "acUpdatedAt"${withData ? `, v."key" AS "cdKey", v."value" AS "cdValue", v."type" AS "cdType"` : ""}
     FROM "Contact" c LEFT JOIN "AppContact" ac ON ac."contactId" = c."id" AND ac."appId" = ?
     ${withData ? `LEFT JOIN "CustomDataValue" v ON v."appContactId" = ac."id"` : ""}
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
