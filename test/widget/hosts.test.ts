// The widget runs only on pages the app knows to be its own: the panel frame and the widget
// session refuse any other host, and a visitor token works only on the host it was issued for.
import { afterEach, describe, expect, it } from "vitest";
import { request } from "../support/app";
import { api, createTestApp, identifyAs, type TestApp } from "../support/convot";
import { widgetPost, widgetSession } from "../support/conversations";
import { deliverWebhook } from "../support/shopify";
import { fixturePayload } from "../../scripts/lib/shopify-webhook";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";

const APP_ORIGIN = new URL(process.env.SHOPIFY_APP_URL!).origin;
const ADMIN = "https://admin.shopify.com";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newShop = () => `hosts-${++n}-${Date.now()}.myshopify.com`;

async function storefrontApp(shop: string): Promise<TestApp> {
  await request("/");
  const { ensureStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
  return (await ensureStorefrontApp(shop)) as unknown as TestApp;
}

/** shop/update as Shopify sends it: `domain` is the shop's primary domain. */
async function shopUpdate(shop: string, domain: string, updatedAt: string) {
  const payload = { ...(fixturePayload("shop/update", shop) as object), domain, updated_at: updatedAt };
  expect((await deliverWebhook("shop/update", { shop, payload })).status).toBe(200);
}

async function frame(appKey: string, host: string | null) {
  const params = new URLSearchParams({ app: appKey, greeting: "Hi" });
  if (host !== null) params.set("host", host);
  const response = await request(`/widget/frame?${params}`);
  return { status: response.status, html: await response.text() };
}

async function expectServed(appKey: string, hosts: string[]) {
  for (const host of hosts) {
    const { status, html } = await frame(appKey, host);
    expect({ host, status }).toEqual({ host, status: 200 });
    expect(html).toMatch(/<script src="\/widget\/panel\.js[?"]/);
  }
}

/** 403 for another site's origin; 400 for what is not an origin as `location.origin` writes it. */
async function expectRefused(appKey: string, hosts: (string | null)[], expected = 403) {
  for (const host of hosts) {
    const { status, html } = await frame(appKey, host);
    expect({ host, status }).toEqual({ host, status: expected });
    expect(html).not.toContain("panel.js");
    expect(html).toContain("host");
  }
}

describe("the panel frame (/widget/frame) is served only to the app's own hosts", () => {
  it("the Shopify app's own app: the app's origin and the Shopify admin, nothing else", async () => {
    await request("/");
    const key = process.env.CONVOT_APP_KEY!;
    await expectServed(key, [APP_ORIGIN, ADMIN]);
    const { host } = new URL(APP_ORIGIN);
    await expectRefused(key, [
      "https://evil.example",
      `http://${host}`, // https only
      `https://${host}:8443`, // another port is another origin
      `https://evil.${host}`,
      `${ADMIN}.evil.example`,
      "http://admin.shopify.com",
      "https://convot-demo.myshopify.com", // a storefront, not this app's
    ]);
    // Not an origin as location.origin writes it, or none at all (a sandboxed or file: page).
    await expectRefused(
      key,
      [`https://${host}:443`, `${APP_ORIGIN}/`, `https://${host.toUpperCase()}`, `${APP_ORIGIN}/preview`, "null", "", null],
      400,
    );
  });

  it("a shop's storefront app: its myshopify.com origin and the primary domain Shopify reports, kept current by shop/update", async () => {
    const shop = newShop();
    const app = await storefrontApp(shop);
    await expectServed(app.publicKey, [`https://${shop}`]);
    await expectRefused(app.publicKey, [`http://${shop}`, APP_ORIGIN, ADMIN, "https://www.acme-hosts.example", "https://other.myshopify.com"]);

    await shopUpdate(shop, "www.acme-hosts.example", "2026-11-20T10:00:00Z");
    await expectServed(app.publicKey, [`https://${shop}`, "https://www.acme-hosts.example"]);
    await expectRefused(app.publicKey, ["http://www.acme-hosts.example", "https://acme-hosts.example"]);

    // The merchant makes the bare domain primary: the old one is no longer this shop's.
    await shopUpdate(shop, "acme-hosts.example", "2026-11-21T10:00:00Z");
    await expectServed(app.publicKey, ["https://acme-hosts.example"]);
    await expectRefused(app.publicKey, ["https://www.acme-hosts.example"]);
  });

  it("install records the shop's primary domain from the Admin API", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop, { shop: { primaryDomain: { host: "shop.installed-hosts.example" } } }));
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    const app = await storefrontApp(shop);
    await expectServed(app.publicKey, [`https://${shop}`, "https://shop.installed-hosts.example"]);
  });

  it("the hourly upkeep asks Shopify for the primary domain of a shop cached without one", async () => {
    const shop = newShop();
    shopify = mockShopify(shop, adminApi(shop, { shop: { primaryDomain: null } }));
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    const app = await storefrontApp(shop);
    await expectRefused(app.publicKey, ["https://shop.backfilled-hosts.example"]);

    await shopify.restore();
    shopify = mockShopify(shop, adminApi(shop, { shop: { primaryDomain: { host: "shop.backfilled-hosts.example" } } }));
    const { fillMissingPrimaryDomains } = await import("../../app/shopify/shop-domains.server");
    expect(await fillMissingPrimaryDomains()).toBe(1);
    await expectServed(app.publicKey, ["https://shop.backfilled-hosts.example"]);
    expect(await fillMissingPrimaryDomains()).toBe(0); // done once
  });

  it("the demo shop's storefront is the app's own /preview in demo mode", async () => {
    const app = await storefrontApp("convot-demo.myshopify.com");
    await expectServed(app.publicKey, [APP_ORIGIN, "https://convot-demo.myshopify.com"]);
  });

  it("an API app (no shop) has no site of its own: only the app's origin", async () => {
    const app = await createTestApp();
    await expectServed(app.publicKey, [APP_ORIGIN]);
    await expectRefused(app.publicKey, ["https://convot-demo.myshopify.com", ADMIN]);
  });

  it("shows the onboarding page its look alone (?preview=1): no script, no app, no host", async () => {
    await request("/");
    const response = await request(`/widget/frame?${new URLSearchParams({ preview: "1", greeting: "Hello from Acme!" })}`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Hello from Acme!");
    expect(html).not.toContain("panel.js");
  });

  it("answers 404 for an unknown app", async () => {
    await request("/");
    const { status, html } = await frame("app_DoesNotExist000", APP_ORIGIN);
    expect(status).toBe(404);
    expect(html).not.toContain("panel.js");
  });
});

describe("widget sessions are bound to their host", () => {
  it("refuses a missing or malformed host with 422 and another site's with 403, naming host", async () => {
    const app = await createTestApp();
    for (const host of [undefined, "null", `${APP_ORIGIN}/`, 42]) {
      const res = await api("/api/v1/widget/session", { body: { app_id: app.publicKey, host } });
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(["host"]);
    }
    const res = await widgetSession(app, null, { host: "https://evil.example" });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("host") });
    expect(res.body.error.message).toContain("https://evil.example");
    expect(res.body.visitor_token).toBeUndefined();
  });

  it("a token issued for one host, presented with another, gets a fresh visitor with no conversation", async () => {
    const shop = newShop();
    const app = await storefrontApp(shop);
    await shopUpdate(shop, "www.bound-hosts.example", "2026-11-20T10:00:00Z");
    const storefront = `https://${shop}`;
    const other = "https://www.bound-hosts.example";

    const first = await widgetSession(app, null, { host: storefront });
    const token = first.body.visitor_token as string;
    const sent = await widgetPost(token, { content: "my order number is 1001" });
    expect(sent.status).toBe(201);

    const crossed = await widgetSession(app, token, { host: other });
    expect(crossed.status).toBe(200);
    expect(crossed.body).toMatchObject({ identified: false, conversation: null, messages: [], unread: 0 });
    expect(crossed.body.visitor_token).not.toBe(token);
    expect((await api("/api/v1/widget/messages?after=0", { token: crossed.body.visitor_token })).body.conversation).toBeNull();

    // On its own host the token still finds the conversation.
    const again = await widgetSession(app, token, { host: storefront });
    expect(again.body.conversation.id).toBe(sent.body.conversation_id);
  });

  it("…and so does an identified token: identify keeps the host the anonymous token was issued for", async () => {
    const shop = newShop();
    const app = await storefrontApp(shop);
    await shopUpdate(shop, "www.identified-hosts.example", "2026-11-20T10:00:00Z");
    const anonymous = (await widgetSession(app, null, { host: `https://${shop}` })).body.visitor_token as string;
    const sent = await widgetPost(anonymous, { content: "before logging in" });
    const verified = await identifyAs(app, { external_id: "shopify_customer_4242", visitor_token: anonymous });
    const identified = verified.body.visitor_token as string;
    expect(identified).toBeTruthy();
    const here = await widgetSession(app, identified, { host: `https://${shop}` });
    expect(here.body).toMatchObject({ identified: true, conversation: { id: sent.body.conversation_id } });

    const elsewhere = await widgetSession(app, identified, { host: "https://www.identified-hosts.example" });
    expect(elsewhere.body).toMatchObject({ identified: false, conversation: null, messages: [] });
  });
});
