import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../support/app";
import { deliverWebhook } from "../support/shopify";

const SHOP = "uninstall-me.myshopify.com";

async function seedSession(shop = SHOP) {
  const { prisma } = await db();
  await prisma.session.upsert({
    where: { id: `offline_${shop}` },
    update: {},
    create: { id: `offline_${shop}`, shop, state: "x", accessToken: "shpat_test", scope: "read_themes" },
  });
}

describe("webhook routes", () => {
  beforeEach(() => seedSession());

  it("app/uninstalled with Shopify's signature deletes the shop's sessions", async () => {
    const response = await deliverWebhook("app/uninstalled", { shop: SHOP });
    expect(response.status).toBe(200);
    const { prisma } = await db();
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(0);
  });

  it("a wrong signature is 401 and changes nothing", async () => {
    const response = await deliverWebhook("app/uninstalled", { shop: SHOP, secret: "not-the-app-secret" });
    expect(response.status).toBe(401);
    const { prisma } = await db();
    expect(await prisma.session.count({ where: { shop: SHOP } })).toBe(1);
  });

  it("a body altered after signing is 401", async () => {
    const response = await deliverWebhook("app/uninstalled", { shop: SHOP, tamper: true });
    expect(response.status).toBe(401);
  });

  it("app/scopes_update stores the scopes the merchant granted", async () => {
    expect((await deliverWebhook("app/scopes_update", { shop: SHOP })).status).toBe(200);
    const { prisma } = await db();
    const session = await prisma.session.findUnique({ where: { id: `offline_${SHOP}` } });
    expect(session?.scope).toBe("read_themes,write_themes");
  });

  it.each(["customers/data_request", "customers/redact", "shop/redact"])(
    "compliance topic %s answers 200 when signed and 401 when not",
    async (topic) => {
      expect((await deliverWebhook(topic, { shop: SHOP })).status).toBe(200);
      expect((await deliverWebhook(topic, { shop: SHOP, secret: "wrong" })).status).toBe(401);
    },
  );
});
