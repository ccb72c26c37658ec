import { beforeEach, describe, expect, it } from "vitest";
import { db } from "../support/app";
import { api } from "../support/convot";
import { DEVELOPER_TOKEN, merchant } from "../support/merchants";
import { deliverWebhook } from "../support/shopify";

const DAY = 24 * 60 * 60 * 1000;
let seq = 0;
let shop: string;

beforeEach(() => {
  shop = `churn-${++seq}-${Date.now()}.myshopify.com`;
});

/** A merchant who wrote to the developer's team, answered `repliedDaysAgo`, last active `activeDaysAgo`. */
async function conversationWithMerchant(options: { repliedDaysAgo: number; activeDaysAgo: number; resolved?: boolean }) {
  await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date(Date.now() - 30 * DAY) }); // creates the merchant contact
  const contact = (await merchant(shop))!;
  const created = await api("/api/v1/conversations", {
    token: DEVELOPER_TOKEN(),
    body: { contact_id: contact.id, message: { type: "incoming", content: "How do I change the widget colour?" } },
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await api(`/api/v1/conversations/${id}/messages`, { token: DEVELOPER_TOKEN(), body: { content: "Theme editor → App embeds → Convot." } });
  const { sql } = await db();
  const now = Date.now();
  await sql.run(`UPDATE "Conversation" SET "lastActivityAt" = ?, "lastReplyAt" = ?, "status" = ? WHERE "id" = ?`, [
    new Date(now - options.activeDaysAgo * DAY),
    new Date(now - options.repliedDaysAgo * DAY),
    options.resolved ? "resolved" : "open",
    id,
  ]);
  await sql.run(`UPDATE "Message" SET "createdAt" = ? WHERE "conversationId" = ? AND "type" = 'outgoing'`, [
    new Date(now - options.repliedDaysAgo * DAY),
    id,
  ]);
  return { id, contactId: contact.id };
}

const messages = async (id: string) =>
  (await api(`/api/v1/conversations/${id}/messages?per_page=100`, { token: DEVELOPER_TOKEN() })).body.messages as {
    type: string;
    content: string;
    author: unknown;
  }[];

const status = async (contactId: number) =>
  (await api(`/api/v1/conversations?contact_id=${contactId}`, { token: DEVELOPER_TOKEN() })).body.conversations[0].status;

describe("churn in the inbox: app/uninstalled next to a recent conversation", () => {
  it("reopens a conversation active in the last 7 days with an activity message, once per delivery", async () => {
    const { id, contactId } = await conversationWithMerchant({ repliedDaysAgo: 2, activeDaysAgo: 2, resolved: true });
    const delivery = { shop, webhookId: `wh-churn-${seq}`, triggeredAt: new Date() };
    expect((await deliverWebhook("app/uninstalled", delivery)).status).toBe(200);
    expect((await deliverWebhook("app/uninstalled", delivery)).status).toBe(200); // Shopify retries

    const last = (await messages(id)).filter((m) => m.type === "activity");
    expect(last).toEqual([
      expect.objectContaining({ type: "activity", content: "Uninstalled Convot for Shopify — 2 days after your last reply", author: null }),
    ]);
    expect(await status(contactId)).toBe("open");
  });

  it("leaves an older conversation resolved and untouched", async () => {
    const { id, contactId } = await conversationWithMerchant({ repliedDaysAgo: 9, activeDaysAgo: 8, resolved: true });
    expect((await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date() })).status).toBe(200);
    expect((await messages(id)).map((m) => m.type)).toEqual(["incoming", "outgoing"]);
    expect(await status(contactId)).toBe("resolved");
  });

  it("says 1 day, singular", async () => {
    const { id } = await conversationWithMerchant({ repliedDaysAgo: 1.5, activeDaysAgo: 1, resolved: true });
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date() });
    expect((await messages(id)).at(-1)!.content).toBe("Uninstalled Convot for Shopify — 1 day after your last reply");
  });

  it("does not call the team's opening message of a conversation the merchant never wrote in a reply", async () => {
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date(Date.now() - 30 * DAY) });
    const contact = (await merchant(shop))!;
    const created = await api("/api/v1/conversations", {
      token: DEVELOPER_TOKEN(),
      body: { contact_id: contact.id, message: { type: "outgoing", content: "Need a hand setting up the widget?" } },
    });
    expect(created.status).toBe(201);
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date() });
    expect((await messages(created.body.id)).at(-1)!.content).toBe("Uninstalled Convot for Shopify — before anyone replied");
  });

  it("says less than a day, not 0 days, after a reply the same day", async () => {
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date(Date.now() - 30 * DAY) });
    const contact = (await merchant(shop))!;
    const created = await api("/api/v1/conversations", {
      token: DEVELOPER_TOKEN(),
      body: { contact_id: contact.id, message: { type: "incoming", content: "Is there a dark theme?" } },
    });
    const id = created.body.id as string;
    await api(`/api/v1/conversations/${id}/messages`, { token: DEVELOPER_TOKEN(), body: { content: "Yes: Settings → Appearance." } });
    await deliverWebhook("app/uninstalled", { shop, triggeredAt: new Date() });
    expect((await messages(id)).at(-1)!.content).toBe("Uninstalled Convot for Shopify — less than a day after your last reply");
  });
});
