// Each shop's storefront inbox is a Convot app of its own (in an organization of its own),
// so the shop's visitors never mix with the merchants who are our contacts.
import { sql } from "../db.server";
import { isUniqueViolation, type Sql } from "../db/sql.server";
import { appsChanged, createApp, createOrganization, findAppByShop, type ConvotApp } from "../apps/apps.server";
import { findContactByExternalId, findContactsByEmail, type ContactRow } from "../contacts/contacts.server";
import { normalizeEmail } from "../contacts/validation";

export const findStorefrontApp = (shop: string, db: Sql = sql) => findAppByShop(shop, db);

/** The shop's storefront app, created on first need (install). Idempotent. */
export async function ensureStorefrontApp(shop: string): Promise<ConvotApp> {
  try {
    return await sql.transaction(async (tx) => {
      const existing = await findStorefrontApp(shop, tx);
      if (existing) return existing;
      const organization = await createOrganization(`${shop} (storefront)`, tx);
      return createApp({ organizationId: organization.id, name: `${shop} storefront`, shop }, tx);
    });
  } catch (error) {
    // Two first requests at once (the admin's layout and page loaders): the other one won.
    if (!isUniqueViolation(error)) throw error;
    const winner = await findStorefrontApp(shop);
    if (!winner) throw error;
    return winner;
  }
}

export const customerExternalId = (customerId: string | number) => `shopify_customer_${customerId}`;

/**
 * Every contact of the shop's storefront app that is the shopper Shopify names: by customer id
 * (logged in) and by email (a chat started logged out) — a redaction or an export covers all.
 */
export async function findShoppers(db: Sql, app: ConvotApp, customer: { id?: string | number | null; email?: string | null }): Promise<ContactRow[]> {
  const found = new Map<number, ContactRow>();
  if (customer.id !== undefined && customer.id !== null && String(customer.id) !== "") {
    const byId = await findContactByExternalId(db, app.organizationId, customerExternalId(customer.id));
    if (byId) found.set(byId.id, byId);
  }
  if (customer.email) {
    for (const contact of await findContactsByEmail(db, app.organizationId, normalizeEmail(customer.email))) found.set(contact.id, contact);
  }
  return [...found.values()];
}

/** Erases the shop's storefront app with every contact, event and custom value in it. */
export async function eraseStorefrontApp(shop: string, db: Sql): Promise<boolean> {
  const app = await findStorefrontApp(shop, db);
  if (!app) return false;
  // The organization exists only for this app: deleting it cascades to its contacts and the app.
  await db.run(`DELETE FROM "Organization" WHERE "id" = ?`, [app.organizationId]);
  appsChanged(db);
  return true;
}
