// The mandatory compliance topics: customers/data_request, customers/redact, shop/redact.
import { sql } from "../../db.server";
import { toDate } from "../../db/sql.server";
import { deleteSessionsForShop } from "../sessions.server";
import { eraseStorefrontApp, findShoppers, findStorefrontApp } from "../storefront-apps.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { normalizeEmail } from "../../contacts/validation";

type Customer = { id?: number | string; email?: string; phone?: string };

/** customers/data_request: recorded, so the merchant can download that shopper's data from the admin. */
export async function handleCustomersDataRequest(delivery: Delivery): Promise<void> {
  const customer = (delivery.payload.customer ?? {}) as Customer;
  const dataRequest = (delivery.payload.data_request ?? {}) as { id?: number | string };
  await processOnce(delivery, async (tx) => {
    await tx.run(
      `INSERT INTO "DataRequest" ("shop", "webhookId", "dataRequestId", "customerId", "customerEmail", "customerPhone", "ordersRequested", "receivedAt")
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        delivery.shop,
        delivery.webhookId,
        dataRequest.id === undefined ? null : String(dataRequest.id),
        String(customer.id ?? ""),
        customer.email ? normalizeEmail(customer.email) : null,
        customer.phone ?? null,
        JSON.stringify(delivery.payload.orders_requested ?? []),
        delivery.triggeredAt,
      ],
    );
  });
}

/** customers/redact: that shopper is erased from the shop's storefront app. */
export async function handleCustomersRedact(delivery: Delivery): Promise<void> {
  const customer = (delivery.payload.customer ?? {}) as Customer;
  await processOnce(delivery, async (tx) => {
    const app = await findStorefrontApp(delivery.shop, tx);
    if (!app) return;
    for (const shopper of await findShoppers(tx, app, customer)) {
      await tx.run(`DELETE FROM "Contact" WHERE "id" = ? AND "organizationId" = ?`, [shopper.id, app.organizationId]);
    }
    await tx.run(`UPDATE "DataRequest" SET "customerEmail" = NULL, "customerPhone" = NULL WHERE "shop" = ? AND "customerId" = ?`, [
      delivery.shop,
      String(customer.id ?? ""),
    ]);
  });
}

/** shop/redact (48 hours after uninstall): the shop's storefront data, requests and sessions go. */
export async function handleShopRedact(delivery: Delivery): Promise<void> {
  await processOnce(delivery, async (tx) => {
    await eraseStorefrontApp(delivery.shop, tx);
    await tx.run(`DELETE FROM "DataRequest" WHERE "shop" = ?`, [delivery.shop]);
    await deleteSessionsForShop(delivery.shop, tx);
  });
}

export type DataRequestRecord = {
  id: number;
  customerId: string;
  customerEmail: string | null;
  ordersRequested: number[];
  receivedAt: Date;
  downloadedAt: Date | null;
};

export async function listDataRequests(shop: string): Promise<DataRequestRecord[]> {
  const rows = await sql.all(
    `SELECT "id", "customerId", "customerEmail", "ordersRequested", "receivedAt", "downloadedAt" FROM "DataRequest" WHERE "shop" = ? ORDER BY "receivedAt" DESC`,
    [shop],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    customerId: String(row.customerId),
    customerEmail: (row.customerEmail as string | null) ?? null,
    ordersRequested: JSON.parse(String(row.ordersRequested)),
    receivedAt: toDate(row.receivedAt),
    downloadedAt: row.downloadedAt ? toDate(row.downloadedAt) : null,
  }));
}

/** Everything the shop's storefront app holds on the requested shopper; null when not this shop's request. */
export async function exportShopperData(shop: string, requestId: number) {
  const request = await sql.one<{ customerId: string; customerEmail: string | null }>(
    `SELECT "customerId", "customerEmail" FROM "DataRequest" WHERE "id" = ? AND "shop" = ?`,
    [requestId, shop],
  );
  if (!request) return null;
  await sql.run(`UPDATE "DataRequest" SET "downloadedAt" = ? WHERE "id" = ?`, [new Date(), requestId]);
  const app = await findStorefrontApp(shop);
  const shoppers = app ? await findShoppers(sql, app, { id: request.customerId || null, email: request.customerEmail }) : [];
  const contacts = [];
  for (const shopper of shoppers) {
    const appContact = await sql.one<{ id: number }>(`SELECT "id" FROM "AppContact" WHERE "appId" = ? AND "contactId" = ?`, [app!.id, shopper.id]);
    const customData = appContact
      ? await sql.all(`SELECT "key", "value" FROM "CustomDataValue" WHERE "appContactId" = ? ORDER BY "key"`, [appContact.id])
      : [];
    const events = appContact
      ? await sql.all(`SELECT "name", "occurredAt", "properties" FROM "ContactEvent" WHERE "appContactId" = ? ORDER BY "occurredAt" DESC`, [
          appContact.id,
        ])
      : [];
    contacts.push({
      email: shopper.email,
      external_id: shopper.externalId,
      name: shopper.name,
      company: shopper.company,
      phone: shopper.phone,
      created_at: shopper.createdAt.toISOString(),
      custom_data: Object.fromEntries(customData.map((row) => [row.key, row.value])),
      events: events.map((row) => ({
        name: row.name,
        occurred_at: toDate(row.occurredAt).toISOString(),
        properties: JSON.parse(String(row.properties)),
      })),
    });
  }
  return { request: { customer_id: request.customerId, email: request.customerEmail }, contacts };
}
