import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { api, identifyAs, type TestApp } from "../support/convot";
import { deliverWebhook } from "../support/shopify";

let n = 0;
const newShop = () => `compliance-${++n}-${Date.now()}.myshopify.com`;

/** The shop's storefront app with a verified shopper (customer 7418320650537 of the fixtures). */
async function storefrontWithShopper(shop: string) {
  await request("/");
  const { ensureStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
  const { createApiKey, SCOPES } = await import("../../app/apps/api-keys.server");
  const app = await ensureStorefrontApp(shop);
  const key = await createApiKey({ appId: app.id, scopes: [...SCOPES] });
  const testApp: TestApp = { ...app, token: key.token };
  const shopper = await identifyAs(testApp, {
    external_id: "shopify_customer_7418320650537",
    email: "jo.shopper@example.com",
    custom_data: { orders: 2 },
  });
  const bystander = await identifyAs(testApp, { external_id: "shopify_customer_1", email: "other@example.com" });
  await api(`/api/v1/contacts/${shopper.body.contact_id}/events`, { token: key.token, body: { name: "order_asked" } });
  return { app: testApp, shopperId: shopper.body.contact_id as number, bystanderId: bystander.body.contact_id as number };
}

describe("compliance webhooks", () => {
  it("customers/data_request is recorded and the shopper's data can be exported", async () => {
    const shop = newShop();
    await storefrontWithShopper(shop);
    expect((await deliverWebhook("customers/data_request", { shop })).status).toBe(200);
    const { listDataRequests, exportShopperData } = await import("../../app/shopify/webhooks/compliance.server");
    const [requested] = await listDataRequests(shop);
    expect(requested).toMatchObject({
      customerId: "7418320650537",
      customerEmail: "jo.shopper@example.com",
      ordersRequested: [5689213419817, 5689218891049],
    });
    const data = await exportShopperData(shop, requested.id);
    expect(data).toMatchObject({
      contacts: [
        {
          external_id: "shopify_customer_7418320650537",
          email: "jo.shopper@example.com",
          custom_data: { orders: "2" },
          events: [{ name: "order_asked" }],
        },
      ],
    });
    expect(await exportShopperData("another-shop.myshopify.com", requested.id)).toBeNull();
  });

  it("customers/redact erases that shopper from the shop's storefront app — every contact they are — and only them", async () => {
    const shop = newShop();
    const { app, shopperId, bystanderId } = await storefrontWithShopper(shop);
    // The same shopper chatted once logged out, known only by email.
    const loggedOut = await identifyAs(app, { email: "JO.SHOPPER@example.com", external_id: "anon-visitor-9" });
    expect((await deliverWebhook("customers/redact", { shop })).status).toBe(200);
    expect((await api(`/api/v1/contacts/${shopperId}`, { token: app.token })).status).toBe(404);
    expect((await api(`/api/v1/contacts/${loggedOut.body.contact_id}`, { token: app.token })).status).toBe(404);
    expect((await api(`/api/v1/contacts/${bystanderId}`, { token: app.token })).status).toBe(200);
    const { sql } = await db();
    expect(await sql.one(`SELECT 1 AS "x" FROM "Contact" WHERE "id" = ?`, [shopperId])).toBeUndefined();
  });

  it("shop/redact erases the storefront app's data and the shop's sessions", async () => {
    const shop = newShop();
    const { app, bystanderId } = await storefrontWithShopper(shop);
    const { prisma, sql } = await db();
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "s", accessToken: "t" } });
    expect((await deliverWebhook("shop/redact", { shop })).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    expect(await sql.one(`SELECT 1 AS "x" FROM "App" WHERE "id" = ?`, [app.id])).toBeUndefined();
    expect(await sql.one(`SELECT 1 AS "x" FROM "Contact" WHERE "id" = ?`, [bystanderId])).toBeUndefined();
    expect(await sql.one(`SELECT COUNT(*) AS "n" FROM "ContactEvent" WHERE "appId" = ?`, [app.id])).toMatchObject({ n: 0 });
  });

  it("shop/redact leaves no erased app in the widget's app cache, even when the widget asks meanwhile", async () => {
    const shop = newShop();
    const { app } = await storefrontWithShopper(shop);
    const { sql } = await db();
    const { eraseStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    let erased = false;
    const redact = sql.transaction(async (tx) => {
      await eraseStorefrontApp(shop, tx);
      erased = true;
    });
    // (SQLite's unit runs within microtasks; PostgreSQL's needs the event loop to turn.)
    while (!erased) await (sql.engine === "sqlite" ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 1)));
    // A widget call for the app before the erasure commits: it finds the app as last committed.
    await findAppByPublicKey(app.publicKey);
    await redact;
    expect(await findAppByPublicKey(app.publicKey)).toBeNull();
  });

  it.each(["customers/data_request", "customers/redact", "shop/redact"])("%s with a bad signature is 401 and changes nothing", async (topic) => {
    const shop = newShop();
    const { app, shopperId } = await storefrontWithShopper(shop);
    expect((await deliverWebhook(topic, { shop, secret: "forged" })).status).toBe(401);
    expect((await api(`/api/v1/contacts/${shopperId}`, { token: app.token })).status).toBe(200);
  });
});

describe("trial_ended sweep", () => {
  it("records trial_ended once, at the trial's end, for merchants still subscribed", async () => {
    const shop = newShop();
    const { subscriptionUpdate, timeline } = await import("../support/merchants");
    await subscriptionUpdate(shop, { name: "Pro", status: "ACTIVE", created_at: "2026-10-01T12:00:00Z", updated_at: "2026-10-01T12:00:00Z" });
    const cancelled = newShop();
    await subscriptionUpdate(cancelled, {
      admin_graphql_api_id: "gid://shopify/AppSubscription/9",
      name: "Pro",
      status: "ACTIVE",
      created_at: "2026-10-01T12:00:00Z",
      updated_at: "2026-10-01T12:00:00Z",
    });
    await subscriptionUpdate(cancelled, {
      admin_graphql_api_id: "gid://shopify/AppSubscription/9",
      name: "Pro",
      status: "CANCELLED",
      updated_at: "2026-10-05T12:00:00Z",
    });

    const { sweepEndedTrials } = await import("../../app/shopify/trials.server");
    expect(await sweepEndedTrials(new Date("2026-10-10T00:00:00Z"))).toBe(0); // not ended yet
    expect(await sweepEndedTrials(new Date("2026-11-01T00:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect(await sweepEndedTrials(new Date("2026-11-02T00:00:00Z"))).toBe(0); // idempotent
    expect((await timeline(shop))[0]).toMatchObject({ name: "trial_ended", occurred_at: "2026-10-15T12:00:00.000Z", properties: { plan: "pro" } });
    expect((await timeline(cancelled)).map((e) => e.name)).not.toContain("trial_ended");
  });
});
