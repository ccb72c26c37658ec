import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "../support/app";
import { deliverWebhook } from "../support/shopify";
import { merchant, timeline } from "../support/merchants";
import { fixturePayload } from "../../scripts/lib/shopify-webhook";

let n = 0;
const newShop = () => `deliveries-${++n}-${Date.now()}.myshopify.com`;
const oneTimePurchase = (shop: string) =>
  (fixturePayload("app_purchases_one_time/update", shop) as { app_purchase_one_time: Record<string, unknown> }).app_purchase_one_time;

describe("webhook deliveries", () => {
  it("a bad signature is 401 and writes nothing: no contact, no event, no log entry", async () => {
    const shop = newShop();
    const webhookId = randomUUID();
    const res = await deliverWebhook("app/uninstalled", { shop, webhookId, secret: "forged" });
    expect(res.status).toBe(401);
    expect(await merchant(shop)).toBeNull();
    const { sql } = await db();
    expect(await sql.one(`SELECT 1 AS "x" FROM "WebhookDelivery" WHERE "webhookId" = ?`, [webhookId])).toBeUndefined();
  });

  it("is authenticated on Shopify's headers among a proxy's and a client's; the payload's bytes are kept; a changed byte is 401", async () => {
    const shop = newShop();
    const headers = {
      "X-Forwarded-For": "34.120.5.10",
      "X-Forwarded-Proto": "https",
      Via: "1.1 edge-proxy",
      "X-Request-Id": randomUUID(),
      Accept: "*/*",
      "Accept-Encoding": "gzip",
    };
    const payload = { app_purchase_one_time: { ...oneTimePurchase(shop), name: "Réassort — 10 crédits ✨", status: "ACTIVE" } };
    expect((await deliverWebhook("app_purchases_one_time/update", { shop, headers, payload, tamper: true })).status).toBe(401);
    expect(await merchant(shop)).toBeNull();
    expect((await deliverWebhook("app_purchases_one_time/update", { shop, headers, payload })).status).toBe(200);
    expect((await timeline(shop)).map((e) => [e.name, e.properties.name])).toEqual([["one_time_purchase", "Réassort — 10 crédits ✨"]]);
  });

  it("the delivery log keeps 30 days: older entries are pruned in batches; within them a redelivery is still a duplicate", async () => {
    const { pruneDeliveryLog } = await import("../../app/shopify/webhook-deliveries.server");
    const { sql } = await db();
    const shop = newShop();
    const webhookId = randomUUID();
    expect((await deliverWebhook("app/uninstalled", { shop, webhookId })).status).toBe(200);
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    const old = Array.from({ length: 2_300 }, () => randomUUID());
    await sql.transaction(async (tx) => {
      for (const id of old)
        await tx.run(
          `INSERT INTO "WebhookDelivery" ("webhookId", "topic", "shop", "receivedAt", "processedAt", "outcome") VALUES (?, 'app/uninstalled', ?, ?, ?, 'processed')`,
          [id, shop, longAgo, longAgo],
        );
    });
    const logged = async (ids: string[]) =>
      Number(
        (await sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "WebhookDelivery" WHERE "webhookId" IN (${ids.map(() => "?").join(", ")})`, ids))!
          .n,
      );

    expect(await pruneDeliveryLog(new Date(Date.now() + 29 * 86_400_000))).toBeGreaterThanOrEqual(2_300); // 3 batches
    expect(await logged(old.slice(0, 500))).toBe(0);
    expect(await logged([webhookId])).toBe(1);
    expect((await deliverWebhook("app/uninstalled", { shop, webhookId })).status).toBe(200);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["shop_uninstalled"]);

    await pruneDeliveryLog(new Date(Date.now() + 31 * 86_400_000));
    expect(await logged([webhookId])).toBe(0);
  });

  it("the same X-Shopify-Webhook-Id twice gives one event and one state change; the event id is stored", async () => {
    const shop = newShop();
    const webhookId = randomUUID();
    const eventId = randomUUID();
    for (let i = 0; i < 2; i++) expect((await deliverWebhook("app/uninstalled", { shop, webhookId, eventId })).status).toBe(200);
    expect((await timeline(shop)).map((e) => [e.name, e.properties])).toEqual([
      ["shop_uninstalled", { source: "webhook", shopify_webhook_id: webhookId, shopify_event_id: eventId }],
    ]);
    const { sql } = await db();
    expect(await sql.one(`SELECT "eventId", "outcome", "topic", "shop" FROM "WebhookDelivery" WHERE "webhookId" = ?`, [webhookId])).toEqual({
      eventId,
      outcome: "processed",
      topic: "app/uninstalled",
      shop,
    });
  });

  it("copies of one delivery arriving at the same moment still give exactly one event", async () => {
    const shop = newShop();
    const webhookId = randomUUID();
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () =>
        deliverWebhook("app_subscriptions/update", {
          shop,
          webhookId,
          payload: { app_subscription: { name: "Plus", status: "ACTIVE", updated_at: "2026-11-01T00:00:00Z" } },
        }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["plan_upgraded"]);
  });

  it("the same X-Shopify-Event-Id under new webhook ids (one per subscription of the topic) has one effect", async () => {
    const shop = newShop();
    const eventId = randomUUID();
    const frozen = { app_subscription: { name: "Plus", status: "FROZEN", updated_at: "2026-11-03T00:00:00Z" } };
    for (let i = 0; i < 3; i++) expect((await deliverWebhook("app_subscriptions/update", { shop, eventId, payload: frozen })).status).toBe(200);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["charge_failed"]);
  });

  it("copies with new webhook ids and one event id, arriving at the same moment, still have one effect", async () => {
    const shop = newShop();
    const eventId = randomUUID();
    const frozen = { app_subscription: { name: "Plus", status: "FROZEN", updated_at: "2026-11-03T00:00:00Z" } };
    const statuses = await Promise.all(
      Array.from({ length: 6 }, () => deliverWebhook("app_subscriptions/update", { shop, eventId, payload: frozen }).then((r) => r.status)),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["charge_failed"]);
  });

  it("an event id is an event of its topic: the same id on another topic is another event", async () => {
    const shop = newShop();
    const eventId = randomUUID();
    await deliverWebhook("app_subscriptions/update", {
      shop,
      eventId,
      payload: { app_subscription: { name: "Plus", status: "FROZEN", updated_at: "2026-11-03T00:00:00Z" } },
    });
    await deliverWebhook("app_purchases_one_time/update", { shop, eventId });
    expect((await timeline(shop)).map((e) => e.name).sort()).toEqual(["charge_failed", "one_time_purchase"]);
  });

  it("an event whose first copy failed is processed by the next copy, under another webhook id, once", async () => {
    const shop = newShop();
    const eventId = randomUUID();
    const { sql } = await db();
    await sql.run(`ALTER TABLE "ContactEvent" RENAME TO "ContactEventAway"`);
    try {
      expect((await deliverWebhook("app/uninstalled", { shop, eventId })).status).toBe(500);
    } finally {
      await sql.run(`ALTER TABLE "ContactEventAway" RENAME TO "ContactEvent"`);
    }
    expect((await deliverWebhook("app/uninstalled", { shop, eventId })).status).toBe(200);
    expect((await deliverWebhook("app/uninstalled", { shop, eventId })).status).toBe(200);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["shop_uninstalled"]);
  });

  it("a failure inside processing answers 500 and is logged; Shopify's retry then succeeds once", async () => {
    const shop = newShop();
    const webhookId = randomUUID();
    const { sql } = await db();
    await sql.run(`ALTER TABLE "ContactEvent" RENAME TO "ContactEventAway"`);
    try {
      expect((await deliverWebhook("app/uninstalled", { shop, webhookId })).status).toBe(500);
    } finally {
      await sql.run(`ALTER TABLE "ContactEventAway" RENAME TO "ContactEvent"`);
    }
    const failed = await sql.one<{ outcome: string; error: string; attempts: number }>(
      `SELECT "outcome", "error", "attempts" FROM "WebhookDelivery" WHERE "webhookId" = ?`,
      [webhookId],
    );
    expect(failed).toMatchObject({ outcome: "failed", attempts: 1 });
    expect(failed!.error).toMatch(/ContactEvent/);
    expect(await merchant(shop)).toBeNull(); // nothing half-written

    expect((await deliverWebhook("app/uninstalled", { shop, webhookId })).status).toBe(200);
    expect((await deliverWebhook("app/uninstalled", { shop, webhookId })).status).toBe(200);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["shop_uninstalled"]);
    expect(await sql.one(`SELECT "outcome", "attempts", "error" FROM "WebhookDelivery" WHERE "webhookId" = ?`, [webhookId])).toEqual({
      outcome: "processed",
      attempts: 2,
      error: null,
    });
  });
});

describe("app/uninstalled", () => {
  it("records shop_uninstalled at Shopify's trigger time, active=false, deletes sessions, keeps the contact", async () => {
    const shop = newShop();
    const { prisma } = await db();
    await prisma.session.create({ data: { id: `offline_${shop}`, shop, state: "s", accessToken: "t" } });
    const triggeredAt = new Date("2026-11-21T08:30:00.000Z"); // after the shop payload's own updated_at
    expect((await deliverWebhook("app/uninstalled", { shop, triggeredAt })).status).toBe(200);
    const [event] = await timeline(shop);
    expect(event).toMatchObject({
      name: "shop_uninstalled",
      occurred_at: triggeredAt.toISOString(),
      properties: { shopify_webhook_id: expect.any(String) },
    });
    expect((await merchant(shop))!.custom_data).toMatchObject({ active: false, uninstalled_at: triggeredAt.toISOString() });
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });
});

describe("usage and one-time purchases", () => {
  it("app_subscriptions/approaching_capped_amount → usage_cap_approaching", async () => {
    const shop = newShop();
    expect((await deliverWebhook("app_subscriptions/approaching_capped_amount", { shop })).status).toBe(200);
    expect((await timeline(shop))[0]).toMatchObject({
      name: "usage_cap_approaching",
      occurred_at: "2026-11-19T19:22:08.000Z",
      properties: { balance_used: 91.5, capped_amount: 100, currency: "USD" },
    });
  });

  it("app_purchases_one_time/update ACTIVE → one_time_purchase; PENDING records nothing", async () => {
    const shop = newShop();
    await deliverWebhook("app_purchases_one_time/update", {
      shop,
      payload: { app_purchase_one_time: { ...oneTimePurchase(shop), status: "PENDING" } },
    });
    await deliverWebhook("app_purchases_one_time/update", { shop });
    expect((await timeline(shop)).map((e) => [e.name, e.properties.name])).toEqual([["one_time_purchase", "Onboarding call"]]);
  });
});

describe("shop/update", () => {
  const shopUpdate = (shop: string, changes: Record<string, unknown>) =>
    deliverWebhook("shop/update", { shop, payload: { ...(fixturePayload("shop/update", shop) as object), ...changes } });

  it("a Shopify plan change is shopify_plan_changed {from, to}; contact details follow the shop", async () => {
    const shop = newShop();
    await shopUpdate(shop, { plan_display_name: "Basic", updated_at: "2026-11-01T10:00:00Z" });
    await shopUpdate(shop, { plan_display_name: "Basic", name: "Renamed Store", updated_at: "2026-11-02T10:00:00Z" });
    await shopUpdate(shop, { plan_display_name: "Grow", name: "Renamed Store", email: "New@Owner.example", updated_at: "2026-11-03T10:00:00Z" });
    expect((await timeline(shop)).map((e) => [e.name, e.properties.from, e.properties.to])).toEqual([["shopify_plan_changed", "Basic", "Grow"]]);
    const contact = (await merchant(shop))!;
    expect(contact.custom_data.shopify_plan).toBe("Grow");
    expect(contact).toMatchObject({ company: "Renamed Store", email: "new@owner.example", name: "Dana Fisher" });
  });

  it("an older shop/update delivered late changes neither the plan nor the details", async () => {
    const shop = newShop();
    await shopUpdate(shop, { plan_display_name: "Grow", name: "New Name", updated_at: "2026-11-05T10:00:00Z" });
    await shopUpdate(shop, { plan_display_name: "Basic", name: "Old Name", updated_at: "2026-11-01T10:00:00Z" });
    const contact = (await merchant(shop))!;
    expect(contact.custom_data.shopify_plan).toBe("Grow");
    expect(contact.company).toBe("New Name");
  });
});
