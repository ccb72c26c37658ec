// The signed body decides which shop a delivery acts on and when its fact happened: Shopify's
// headers (X-Shopify-Shop-Domain, X-Shopify-Triggered-At) are not covered by the HMAC.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { deliverWebhook } from "../support/shopify";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";
import { merchant, subscriptionUpdate, timeline } from "../support/merchants";
import { fixturePayload } from "../../scripts/lib/shopify-webhook";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newShop = () => `origin-${++n}-${Date.now()}.myshopify.com`;
const FIVE_MINUTES = 5 * 60_000;

/** `shop` as a known merchant on Pro, its Shopify id stored (shop/update names it). */
async function knownMerchant(shop: string) {
  expect((await deliverWebhook("shop/update", { shop })).status).toBe(200);
  expect((await subscriptionUpdate(shop, { status: "ACTIVE", updated_at: "2026-11-10T10:00:00Z" })).status).toBe(200);
  return (await merchant(shop))!.custom_data;
}

async function logged(webhookId: string) {
  const { sql } = await db();
  return sql.one(`SELECT "webhookId" FROM "WebhookDelivery" WHERE "webhookId" = ?`, [webhookId]);
}

describe("the shop comes from the signed payload", () => {
  it("an app/uninstalled signed for shop A, posted with shop B's header, is refused: B stays installed, A gets nothing", async () => {
    const [a, b] = [newShop(), newShop()];
    const before = await knownMerchant(b);
    const webhookId = randomUUID();
    const res = await deliverWebhook("app/uninstalled", { shop: b, webhookId, payload: fixturePayload("app/uninstalled", a) });
    expect(res.status).toBe(400);
    expect((await merchant(b))!.custom_data).toEqual(before);
    expect((await timeline(b)).map((e) => e.name)).not.toContain("shop_uninstalled");
    expect(await merchant(a)).toBeNull();
    expect(await logged(webhookId)).toBeUndefined();
  });

  it.each(["app_subscriptions/update", "app_subscriptions/approaching_capped_amount", "app_purchases_one_time/update"])(
    "%s naming shop A's id, posted with shop B's header, is refused",
    async (topic) => {
      const [a, b] = [newShop(), newShop()];
      await knownMerchant(a);
      const before = await knownMerchant(b);
      const eventsBefore = await timeline(b);
      const payload = fixturePayload(topic, a) as Record<string, Record<string, unknown>>;
      if (topic === "app_subscriptions/update") payload.app_subscription.status = "CANCELLED";
      const webhookId = randomUUID();
      expect((await deliverWebhook(topic, { shop: b, webhookId, payload })).status).toBe(400);
      expect((await merchant(b))!.custom_data).toEqual(before);
      expect(await timeline(b)).toEqual(eventsBefore);
      expect(await logged(webhookId)).toBeUndefined();
    },
  );

  it("a subscription naming a shop id other than the one stored for the header's shop is refused", async () => {
    const b = newShop();
    const before = await knownMerchant(b);
    const payload = fixturePayload("app_subscriptions/update", "never-installed.myshopify.com") as { app_subscription: Record<string, unknown> };
    payload.app_subscription.status = "FROZEN";
    expect((await deliverWebhook("app_subscriptions/update", { shop: b, payload })).status).toBe(400);
    expect((await merchant(b))!.custom_data).toEqual(before);
  });

  it("shop/update and shop/redact signed for shop A, posted with B's header, are refused: B's details and sessions stay", async () => {
    const [a, b] = [newShop(), newShop()];
    await knownMerchant(b);
    const { prisma } = await db();
    await prisma.session.create({ data: { id: `offline_${b}`, shop: b, state: "s", accessToken: "t" } });
    const renamed = {
      ...(fixturePayload("shop/update", a) as object),
      name: "Taken Over",
      plan_display_name: "Plus",
      updated_at: "2026-11-30T10:00:00Z",
    };
    expect((await deliverWebhook("shop/update", { shop: b, payload: renamed })).status).toBe(400);
    expect((await deliverWebhook("shop/redact", { shop: b, payload: fixturePayload("shop/redact", a) })).status).toBe(400);
    expect(await prisma.session.count({ where: { shop: b } })).toBe(1);
    const contact = (await merchant(b))!;
    expect(contact.company).not.toBe("Taken Over");
    expect(contact.custom_data.shopify_plan).toBe("Basic");
  });

  it("the same deliveries with matching headers are accepted", async () => {
    const a = newShop();
    await knownMerchant(a);
    expect((await deliverWebhook("app/uninstalled", { shop: a })).status).toBe(200);
    expect((await merchant(a))!.custom_data.active).toBe(false);
  });
});

describe("the time comes from the signed payload", () => {
  it("the payload's updated_at wins over X-Shopify-Triggered-At", async () => {
    const shop = newShop();
    await subscriptionUpdate(shop, { status: "FROZEN", updated_at: "2026-11-05T10:00:00Z" }, { triggeredAt: new Date("2026-11-25T10:00:00Z") });
    expect((await timeline(shop))[0]).toMatchObject({ name: "charge_failed", occurred_at: "2026-11-05T10:00:00.000Z" });
  });

  it("a Triggered-At in the future is clamped to the time of receipt", async () => {
    const shop = newShop();
    const far = new Date("2099-01-01T00:00:00Z");
    await subscriptionUpdate(shop, { status: "FROZEN", created_at: undefined, updated_at: undefined }, { triggeredAt: far });
    const [event] = await timeline(shop);
    expect(event.name).toBe("charge_failed");
    expect(new Date(event.occurred_at).getTime()).toBeLessThanOrEqual(Date.now() + FIVE_MINUTES);
  });

  it("an uninstall stamped 2099 does not pin active=false: the reinstall after it wins", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop));
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    expect((await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date("2099-01-01T00:00:00Z") })).status).toBe(200);
    const uninstalled = (await merchant(shop))!.custom_data;
    expect(uninstalled.active).toBe(false);
    expect(new Date(String(uninstalled.uninstalled_at)).getTime()).toBeLessThanOrEqual(Date.now() + FIVE_MINUTES);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    expect((await merchant(shop))!.custom_data.active).toBe(true);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["shop_installed", "shop_uninstalled", "shop_installed"]);
  });

  it("an uninstall is never placed before the shop's own updated_at (a Triggered-At from the past is raised to it)", async () => {
    const shop = newShop();
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date("2001-01-01T00:00:00Z") });
    expect((await timeline(shop))[0]).toMatchObject({ name: "shop_uninstalled", occurred_at: "2026-11-20T21:40:02.000Z" });
  });
});
