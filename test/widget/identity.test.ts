import { createHmac } from "node:crypto";
import { API_SECRET_KEY, RequestType, setUpValidRequest } from "@shopify/shopify-api/test-helpers";
import { afterEach, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { api, identifyAs, userHash } from "../support/convot";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newStore = () => `widget-${++n}-${Date.now()}`;

describe("merchant identification in the embedded admin", () => {
  it("identifies the merchant on every page with server-signed hashes and the suggested fields; no secret in the HTML", async () => {
    const shop = `${newStore()}.myshopify.com`;
    shopify = mockShopify(shop, adminApi(shop));
    const html = await (await request(await embeddedAdminUrl(shop))).text();

    const identity = JSON.parse(/window\.Convot\.identify\((\{.*?\})\);/.exec(html)![1]);
    const secret = process.env.CONVOT_IDENTITY_SECRET!;
    expect(identity).toEqual({
      external_id: shop,
      email: "owner@acme.example",
      name: "Avery Stone",
      company: "Acme Outfitters",
      user_hash: createHmac("sha256", secret).update(shop).digest("hex"),
      shop,
      shop_hash: createHmac("sha256", secret).update(shop).digest("hex"),
      custom_data: {
        plan: "free",
        shopify_domain: shop,
        app_version: "0.1.0",
        active: true,
        install_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        shopify_plan: "Basic",
      },
    });
    // The loader is added once React has hydrated (the browser story test watches it load); its app key ships in the page data.
    expect(html).toContain(process.env.CONVOT_APP_KEY);
    for (const value of [secret, process.env.SHOPIFY_API_SECRET!, process.env.CONVOT_API_KEY!, process.env.CONVOT_API_KEY!.split(":")[1]]) {
      expect(html).not.toContain(value);
    }

    // What the widget sends with it verifies: the merchant is a verified contact with a trusted shop.
    const res = await api("/api/v1/identify", { body: { app_id: process.env.CONVOT_APP_KEY, ...identity } });
    expect(res.body).toMatchObject({ verified: true, shop_verified: true });
  });

  it("reads shop details from the cache, not the Admin API, on later pages", async () => {
    const shop = `${newStore()}.myshopify.com`;
    shopify = mockShopify(shop, adminApi(shop));
    await request(await embeddedAdminUrl(shop));
    await request(await embeddedAdminUrl(shop, "/app/plans").catch(() => "/app"));
    await request(await embeddedAdminUrl(shop));
    expect(shopify.received.filter((r) => r.body.includes("ConvotShopDetails"))).toHaveLength(1);
  });
});

describe("storefront identity through the app proxy", () => {
  async function proxyRequest(store: string, customerId?: string) {
    const url = new URL("http://localhost:3000/proxy/identity");
    url.searchParams.set("path_prefix", "/apps/convot");
    if (customerId) url.searchParams.set("logged_in_customer_id", customerId);
    const signed = await setUpValidRequest({ type: RequestType.Public, store, apiSecretKey: API_SECRET_KEY }, new Request(url));
    return new URL(signed.url);
  }

  it("gives a logged-in customer a signed identity in the shop's storefront app", async () => {
    const store = newStore();
    const url = await proxyRequest(store, "7418320650537");
    const res = await request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200);
    const { identity } = await res.json();
    const { sql } = await db();
    const app = (await sql.one<{ publicKey: string; identitySecret: string }>(`SELECT "publicKey", "identitySecret" FROM "App" WHERE "shop" = ?`, [
      `${store}.myshopify.com`,
    ]))!;
    expect(identity).toEqual({
      app_id: app.publicKey,
      external_id: "shopify_customer_7418320650537",
      user_hash: userHash(app.identitySecret, "shopify_customer_7418320650537"),
    });
    const identified = await api("/api/v1/identify", { body: identity });
    expect(identified.body.verified).toBe(true);
    expect(JSON.stringify(await (await request(`${url.pathname}${url.search}`)).json())).not.toContain(app.identitySecret);
  });

  it("gives nothing when the customer id comes twice (Shopify signs the copies joined, 111,222)", async () => {
    const shop = `${newStore()}.myshopify.com`;
    const params: Record<string, string> = {
      shop,
      logged_in_customer_id: "111,222",
      path_prefix: "/apps/convot",
      timestamp: String(Math.trunc(Date.now() / 1000)),
    };
    const message = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join("");
    const url = new URL("http://localhost:3000/proxy/identity");
    for (const [k, v] of Object.entries(params)) if (k !== "logged_in_customer_id") url.searchParams.set(k, v);
    url.searchParams.append("logged_in_customer_id", "111");
    url.searchParams.append("logged_in_customer_id", "222");
    url.searchParams.set("signature", createHmac("sha256", API_SECRET_KEY).update(message).digest("hex"));
    const res = await request(`${url.pathname}${url.search}`);
    expect(res.status).toBe(200); // the library accepts the signature of the joined copies…
    expect(await res.json()).toEqual({ identity: null }); // …and nobody is identified from them
  });

  it("leaves a logged-out visitor anonymous", async () => {
    const url = await proxyRequest(newStore());
    expect(await (await request(`${url.pathname}${url.search}`)).json()).toEqual({ identity: null });
  });

  it("gives nothing to a forged or stale signature", async () => {
    const url = await proxyRequest(newStore(), "42");
    url.searchParams.set("logged_in_customer_id", "43"); // changed after signing
    const forged = await request(`${url.pathname}${url.search}`);
    expect(forged.status).toBeGreaterThanOrEqual(400);
    expect(await forged.text()).not.toContain("user_hash");

    const stale = new URL("http://localhost:3000/proxy/identity");
    const params: Record<string, string> = {
      shop: `${newStore()}.myshopify.com`,
      logged_in_customer_id: "42",
      path_prefix: "/apps/convot",
      timestamp: String(Math.trunc(Date.now() / 1000) - 3600),
    };
    const message = Object.keys(params)
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join("");
    for (const [k, v] of Object.entries(params)) stale.searchParams.set(k, v);
    stale.searchParams.set("signature", createHmac("sha256", API_SECRET_KEY).update(message).digest("hex"));
    const old = await request(`${stale.pathname}${stale.search}`);
    expect(old.status).toBeGreaterThanOrEqual(400);
  });
});

describe("help-center hop", () => {
  async function verifiedVisitor() {
    const { createTestApp } = await import("../support/convot");
    const app = await createTestApp();
    const res = await identifyAs(app, { external_id: "help-1", name: "Helen Visitor" });
    return { app, token: res.body.identity_token as string, contactId: res.body.contact_id as number };
  }

  it("a verified identify returns an identity token; the help center recognises the visitor from it", async () => {
    const { app, token } = await verifiedVisitor();
    expect(token).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    const html = await (await request(`/help?app=${app.publicKey}&convot_identity=${token}`)).text();
    expect(html).toContain("Signed in as <strong>Helen Visitor</strong>");
  });

  it("shows an email as who the visitor is only when it was vouched for", async () => {
    const { createTestApp } = await import("../support/convot");
    const app = await createTestApp();
    const page = async (token: string) => (await request(`/help?app=${app.publicKey}&convot_identity=${token}`)).text();
    // A signed id of their own, someone else's email beside it.
    const claimed = await identifyAs(app, { external_id: "help-2", email: "boss@example.com" });
    const claimedPage = await page(claimed.body.identity_token);
    expect(claimedPage).toContain("Signed in as");
    expect(claimedPage).not.toContain("boss@example.com");
    // An identify whose hash signs the email itself.
    const signed = await identifyAs(app, { email: "me@example.com" });
    expect(await page(signed.body.identity_token)).toContain("Signed in as <strong>me@example.com</strong>");
  });

  it("an unverified identify gets no token", async () => {
    const { createTestApp } = await import("../support/convot");
    const app = await createTestApp();
    const res = await identifyAs(app, { external_id: "anon" }, { sign: false });
    expect(res.body.identity_token).toBeUndefined();
  });

  it("refuses tampered, expired and other-app tokens", async () => {
    const { app, token, contactId } = await verifiedVisitor();
    const [version, payload, signature] = token.split(".");
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const tampered = `${version}.${Buffer.from(JSON.stringify({ ...claims, sub: contactId + 1 })).toString("base64url")}.${signature}`;
    const { signIdentityToken } = await import("../../app/contacts/identity-token");
    const expired = signIdentityToken(app, contactId, Date.now() - 3_600_000);
    const { createTestApp } = await import("../support/convot");
    const other = await createTestApp();
    const page = async (appKey: string, t: string) => await (await request(`/help?app=${appKey}&convot_identity=${encodeURIComponent(t)}`)).text();
    expect(await page(app.publicKey, tampered)).toContain("the identity link was altered");
    expect(await page(app.publicKey, expired)).toContain("the identity link has expired");
    expect(await page(other.publicKey, token)).toMatch(/identity link (was altered|belongs to another app)/);
    expect(await page(app.publicKey, "garbage")).toContain("malformed");
  });
});

describe("onboarding page", () => {
  it.each([
    [true, "On", "Open the theme editor"],
    [false, "Off", "Turn on in the theme editor"],
    [null, "Off", "Turn on in the theme editor"],
  ])("embed %s → badge %s, button %s, deep link to the theme editor", async (embed, badge, button) => {
    const shop = `${newStore()}.myshopify.com`;
    shopify = mockShopify(shop, adminApi(shop, { embed }));
    const html = await (await request(await embeddedAdminUrl(shop, "/app/onboarding"))).text();
    expect(html).toContain(`>${badge}<`);
    expect(html).toContain(button);
    expect(html).toContain(`https://${shop}/admin/themes/current/editor?context=apps&amp;activateAppId=${process.env.SHOPIFY_API_KEY}/convot-embed`);
    if (embed) expect(html).toContain("Hello from Acme!");
    // The settings preview is the panel's look alone, which the frame serves without app or host.
    const preview = /<iframe title="Widget preview" src="([^"]+)"/.exec(html)![1].replace(/&amp;/g, "&");
    const frame = await request(preview);
    expect(frame.status).toBe(200);
    expect(await frame.text()).not.toContain("panel.js");
  });
});
