import { afterEach, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { deliverWebhook } from "../support/shopify";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";
import { merchant, timeline } from "../support/merchants";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newShop = () => `install-${++n}-${Date.now()}.myshopify.com`;

describe("install (afterAuth)", () => {
  it("a first install exchanges the token, caches the shop and records shop_installed with the suggested fields", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop));
    const response = await request(await embeddedAdminUrl(shop));
    expect(response.status).toBe(200);
    // The layout's and the page's loaders both authenticate; each may exchange the token.
    expect(shopify.received[0].path).toBe("/admin/oauth/access_token");
    const queries = shopify.received.filter((r) => r.path === "/admin/api/2026-10/graphql.json").map((r) => r.body);
    expect(queries.filter((q) => q.includes("ConvotShopDetails"))).toHaveLength(1);
    const metafields = JSON.parse(queries.find((q) => q.includes("metafieldsSet"))!).variables.metafields;
    const storefrontKey = (await db()).sql.one<{ publicKey: string }>(`SELECT "publicKey" FROM "App" WHERE "shop" = ?`, [shop]);
    expect(metafields).toEqual([
      expect.objectContaining({
        namespace: "convot",
        key: "app_key",
        value: (await storefrontKey)!.publicKey,
        ownerId: "gid://shopify/AppInstallation/5419114537",
      }),
      expect.objectContaining({ namespace: "convot", key: "app_origin", value: "https://my-test-app.myshopify.io" }),
    ]);
    expect(JSON.parse(shopify.received[0].body)).toMatchObject({ grant_type: "urn:ietf:params:oauth:grant-type:token-exchange", expiring: "1" });

    const [event] = await timeline(shop);
    expect(event).toMatchObject({ name: "shop_installed", properties: { reinstall: false, shopify_plan: "Basic" } });
    const contact = (await merchant(shop))!;
    expect(contact).toMatchObject({
      external_id: shop,
      email: "owner@acme.example",
      name: "Avery Stone",
      company: "Acme Outfitters",
      shopify_domain: shop,
      verified: true,
    });
    expect(contact.custom_data).toEqual({
      active: true,
      install_date: new Date().toISOString().slice(0, 10),
      shopify_domain: shop,
      app_version: "0.1.0",
      plan: "free",
      shopify_plan: "Basic",
    });
    const { sql, prisma } = await db();
    expect(await sql.one(`SELECT "name", "planDisplayName" FROM "Shop" WHERE "domain" = ?`, [shop])).toEqual({
      name: "Acme Outfitters",
      planDisplayName: "Basic",
    });
    expect(await sql.one(`SELECT "shop" FROM "App" WHERE "shop" = ?`, [shop])).toEqual({ shop });
    const session = await prisma.session.findUnique({ where: { id: `offline_${shop}` } });
    expect(session?.refreshToken).toMatch(/^shprt_/);
  });

  it("pages after install read the cache: no second Admin API call", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop));
    await request(await embeddedAdminUrl(shop));
    await request(await embeddedAdminUrl(shop));
    expect(shopify.received.filter((r) => r.body.includes("ConvotShopDetails"))).toHaveLength(1);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["shop_installed"]);
  });

  it("installing again after an uninstall is shop_installed {reinstall: true}; install_date stays", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop));
    await request(await embeddedAdminUrl(shop));
    const firstDate = (await merchant(shop))!.custom_data.install_date;
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date(Date.now() + 1000) });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    const events = await timeline(shop);
    expect(events.map((e) => [e.name, e.properties.reinstall ?? null])).toEqual([
      ["shop_installed", true],
      ["shop_uninstalled", null],
      ["shop_installed", false],
    ]);
    expect((await merchant(shop))!.custom_data).toMatchObject({ active: true, install_date: firstDate });
  });

  it("a forged session token gets no page and records nothing", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop));
    const url = (await embeddedAdminUrl(shop)).replace(/id_token=[^&]+/, "id_token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.forged");
    const response = await request(url);
    expect(response.status).not.toBe(200);
    expect(shopify.received).toEqual([]);
    expect(await merchant(shop)).toBeNull();
  });
});
