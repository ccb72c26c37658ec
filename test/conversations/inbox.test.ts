// The inbox pages keep to their own app: another organization's or another shop's
// conversation is 404, and a console post needs the session's CSRF token.
import { afterEach, describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { createTestApp, identifyAs } from "../support/convot";
import { widgetPost, widgetSession } from "../support/conversations";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";
import { api } from "../support/convot";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});
let n = 0;

async function conversationIn(app: Awaited<ReturnType<typeof createTestApp>>) {
  const { body } = await identifyAs(app, { external_id: `m-${++n}`, name: "Mia" });
  const created = await api("/api/v1/conversations", {
    token: app.token,
    body: { contact_id: body.contact_id, message: { type: "incoming", content: "help" } },
  });
  return created.body.id as string;
}

describe("console inbox", () => {
  it("shows the operator's app's conversation and 404s another organization's", async () => {
    const mine = await createTestApp();
    const theirs = await createTestApp();
    await createOperator(mine.organizationId, `op-${++n}@example.com`);
    const cookie = await loginCookie(`op-${n}@example.com`);
    const own = await conversationIn(mine);
    const foreign = await conversationIn(theirs);

    const page = await request(`/console/apps/${mine.id}/inbox/${own}`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("help");
    expect((await request(`/console/apps/${theirs.id}/inbox/${foreign}`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request(`/console/apps/${mine.id}/inbox/${foreign}`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request(`/console/apps/${theirs.id}/live?after=0`, { headers: { Cookie: cookie } })).status).toBe(404);

    // A reply without the form's CSRF token is refused and writes nothing.
    const forged = await request(`/console/apps/${mine.id}/inbox/${own}`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "reply", content: "forged" }),
    });
    expect(forged.status).toBe(403);
    const messages = await api(`/api/v1/conversations/${own}/messages`, { token: mine.token });
    expect(messages.body.messages.map((m: { content: string }) => m.content)).toEqual(["help"]);
  });
});

describe("console inbox: who the team is talking to", () => {
  it("marks an email nobody vouched for, so an operator does not take it as the person's", async () => {
    const app = await createTestApp();
    await createOperator(app.organizationId, `op-${++n}@example.com`);
    const cookie = await loginCookie(`op-${n}@example.com`);
    const open = async (contactId: number) => {
      const created = await api("/api/v1/conversations", {
        token: app.token,
        body: { contact_id: contactId, message: { type: "incoming", content: "change my email" } },
      });
      return (await request(`/console/apps/${app.id}/inbox/${created.body.id}`, { headers: { Cookie: cookie } })).text();
    };
    // A signed id of their own with someone else's email beside it.
    const claimed = await identifyAs(app, { external_id: `claimer-${n}`, email: "ceo@example.com" });
    const claimedPage = await open(claimed.body.contact_id);
    expect(claimedPage).toContain("ceo@example.com");
    expect(claimedPage).toContain("Email not verified");
    // The app's server vouches for the emails it sends.
    const vouched = await api("/api/v1/contacts", { token: app.token, body: { external_id: `real-${n}`, email: "cfo@example.com" } });
    const vouchedPage = await open(vouched.body.id);
    expect(vouchedPage).toContain("cfo@example.com");
    expect(vouchedPage).not.toContain("Email not verified");
  });

  it("names an anonymous visitor alike in the inbox list and as their messages' author", async () => {
    const app = await createTestApp();
    await createOperator(app.organizationId, `op-${++n}@example.com`);
    const cookie = await loginCookie(`op-${n}@example.com`);
    const visitor = (await widgetSession(app)).body.visitor_token;
    const sent = await widgetPost(visitor, { content: "anyone there?" });
    expect(sent.status).toBe(201);

    const messages = await api(`/api/v1/conversations/${sent.body.conversation_id}/messages`, { token: app.token });
    expect(messages.body.messages).toEqual([
      expect.objectContaining({ content: "anyone there?", author: { name: "Anonymous visitor", operator_id: null } }),
    ]);
    const list = await (await request(`/console/apps/${app.id}/inbox`, { headers: { Cookie: cookie } })).text();
    expect(list).toContain("Anonymous visitor");
  });
});

describe("admin Inbox", () => {
  it("lists the shop's storefront conversations and 404s another shop's", async () => {
    const shopA = `inbox-a-${Date.now()}.myshopify.com`;
    const shopB = `inbox-b-${Date.now()}.myshopify.com`;
    const { ensureStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
    const storefrontB = await ensureStorefrontApp(shopB);
    const visitor = (await widgetSession(storefrontB, null, { host: `https://${shopB}` })).body.visitor_token;
    const sent = await widgetPost(visitor, { content: "Is this in stock?" });

    shopify = mockShopify(shopB, adminApi(shopB));
    const list = await request(await embeddedAdminUrl(shopB, "/app/inbox"));
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("Is this in stock?");
    await shopify.restore();

    shopify = mockShopify(shopA, adminApi(shopA));
    const other = await request(await embeddedAdminUrl(shopA, `/app/inbox/${sent.body.conversation_id}`));
    expect(other.status).toBe(404);
    expect(await (await request(await embeddedAdminUrl(shopA, "/app/inbox"))).text()).not.toContain("Is this in stock?");
  });
});

describe("demo mode's admin stand-in (/demo)", () => {
  it("identifies the demo merchant for the widget and answers the demo shop's shoppers from /demo/inbox", async () => {
    const { DEMO_SHOP } = await import("../../app/shopify/demo");
    const { ensureStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
    const storefront = await ensureStorefrontApp(DEMO_SHOP);
    const visitor = (await widgetSession(storefront, null, { host: `https://${DEMO_SHOP}` })).body.visitor_token;
    const sent = await widgetPost(visitor, { content: "Demo shopper question" });

    const admin = await (await request("/demo")).text();
    const identity = JSON.parse(/window\.Convot\.identify\((\{.*?\})\);/.exec(admin)![1]); // the merchant's signed identity
    expect(identity).toMatchObject({ external_id: DEMO_SHOP, shop: DEMO_SHOP, user_hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const list = await request("/demo/inbox");
    expect(await list.text()).toContain("Demo shopper question");

    const reply = await request(`/demo/inbox/${sent.body.conversation_id}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "http://localhost:3000" },
      body: new URLSearchParams({ intent: "reply", content: "Demo merchant answer" }),
    });
    expect(reply.status).toBe(200);
    const polled = await api(`/api/v1/widget/messages?after=${sent.body.message.id}`, { token: visitor });
    expect(polled.body.messages.map((m: { content: string }) => m.content)).toEqual(["Demo merchant answer"]);
  });
});
