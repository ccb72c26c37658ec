// Each shop's storefront inbox is a Convot app of its own (in an organization of its own),
// so the shop's visitors never mix with the merchants who are our contacts.
import { sql } from "../db.server";
import type { Sql } from "../db/sql.server";
import { createApp, createOrganization, findAppByShop, forgetCachedApps, type ConvotApp } from "../convot/apps.server";
import { findContactByEmail, findContactByExternalId, type ContactRow } from "../convot/contacts.server";

export const findStorefrontApp = (shop: string, db: Sql = sql) => findAppByShop(shop, db);

/** The shop's storefront app, created on first need (install). Idempotent. */
export async function ensureStorefrontApp(shop: string): Promise<ConvotApp> {
  return sql.transaction(async (tx) => {
    const existing = await findStorefrontApp(shop, tx);
    if (existing) return existing;
    const organization = await createOrganization(`${shop} (storefront)`, tx);
    return createApp({ organizationId: organization.id, name: `${shop} storefront`, shop }, tx);
  });
}

export const customerExternalId = (customerId: string | number) => `shopify_customer_${customerId}`;

/** The shopper Shopify names (by customer id, else email) in the shop's storefront app. */
export async function findShopper(
  db: Sql,
  app: ConvotApp,
  customer: { id?: string | number | null; email?: string | null },
): Promise<ContactRow | null> {
  if (customer.id !== undefined && customer.id !== null) {
    const byId = await findContactByExternalId(db, app.organizationId, customerExternalId(customer.id));
    if (byId) return byId;
  }
  return customer.email ? findContactByEmail(db, app.organizationId, customer.email.toLowerCase(), false) : null;
}

/** Erases the shop's storefront app with every contact, event and custom value in it. */
export async function eraseStorefrontApp(shop: string, db: Sql): Promise<boolean> {
  const app = await findStorefrontApp(shop, db);
  if (!app) return false;
  // The organization exists only for this app: deleting it cascades to its contacts and the app.
  await db.run(`DELETE FROM "Organization" WHERE "id" = ?`, [app.organizationId]);
  forgetCachedApps();
  return true;
}
