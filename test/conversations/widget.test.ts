import { beforeEach, describe, expect, it } from "vitest";
import { api, createTestApp, identifyAs, type TestApp } from "../support/convot";
import { widgetSession, widgetPost, widgetPoll, teamReply } from "../support/conversations";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

describe("the widget's conversation endpoints", () => {
  it("an anonymous visitor gets a token, starts a conversation, and keeps it across page loads", async () => {
    const first = await widgetSession(app);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ identified: false, conversation: null, messages: [], unread: 0 });
    const token = first.body.visitor_token as string;

    const sent = await widgetPost(token, { content: "  Where is my order?  " });
    expect(sent.status).toBe(201);
    expect(sent.body.message).toMatchObject({ type: "incoming", content: "Where is my order?" });

    // The next page load presents the stored token: same conversation, same history.
    const again = await widgetSession(app, token);
    expect(again.body.conversation.id).toBe(sent.body.conversation_id);
    expect(again.body.messages.map((m: { content: string }) => m.content)).toEqual(["Where is my order?"]);

    // A second message continues the same conversation.
    const second = await widgetPost(again.body.visitor_token, { content: "Order #1001" });
    expect(second.body.conversation_id).toBe(sent.body.conversation_id);
  });

  it("several first messages at once (a double click, two tabs) start one conversation", async () => {
    const token = (await widgetSession(app)).body.visitor_token as string;
    const sent = await Promise.all([1, 2, 3, 4, 5].map((i) => widgetPost(token, { content: `at once ${i}` })));
    expect(sent.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(sent.map((r) => r.body.conversation_id)).size).toBe(1);
    const state = await widgetPoll(token, 0);
    expect(state.body.messages).toHaveLength(5);
  });

  it("the team's reply reaches the widget, unread until the visitor reads it; notes and activity never do", async () => {
    const { body } = await widgetSession(app);
    const sent = await widgetPost(body.visitor_token, { content: "billing question" });
    const conversationId = sent.body.conversation_id;
    await teamReply(app, conversationId, { content: "Internal: check Stripe", type: "note" });
    await teamReply(app, conversationId, { content: "Happy to help!" });

    const state = await widgetPoll(body.visitor_token, sent.body.message.id);
    expect(state.body.messages.map((m: { type: string; content: string }) => [m.type, m.content])).toEqual([["outgoing", "Happy to help!"]]);
    expect(state.body.unread).toBe(1);
    expect(JSON.stringify(state.body)).not.toContain("Stripe");

    const reply = state.body.messages[0];
    const read = await api("/api/v1/widget/read", { token: body.visitor_token, body: { message_id: reply.id } });
    expect(read.status).toBe(204);
    expect((await widgetPoll(body.visitor_token, 0)).body.unread).toBe(0);
  });

  it("a long-poll is answered as soon as the reply is written", async () => {
    const { body } = await widgetSession(app);
    const sent = await widgetPost(body.visitor_token, { content: "anyone there?" });
    const started = Date.now();
    const waiting = widgetPoll(body.visitor_token, sent.body.message.id, 20);
    await new Promise((r) => setTimeout(r, 200));
    await teamReply(app, sent.body.conversation_id, { content: "Yes, here." });
    const answered = await waiting;
    expect(answered.body.messages.map((m: { content: string }) => m.content)).toEqual(["Yes, here."]);
    // Far from the 20 s the poll would otherwise have waited.
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("stores session:data on the conversation, merged message after message", async () => {
    const { body } = await widgetSession(app);
    const sent = await widgetPost(body.visitor_token, { content: "hi", session_data: { cart_total: 42.5, page: "checkout" } });
    await widgetPost(body.visitor_token, { content: "again", session_data: { page: "cart", coupon: null } });
    const conversation = await api(`/api/v1/conversations?status=open`, { token: app.token });
    const found = conversation.body.conversations.find((c: { id: string }) => c.id === sent.body.conversation_id);
    expect(found.session_data).toEqual({ cart_total: 42.5, page: "cart" });
  });

  it("a verified identify moves the anonymous conversation to the contact; an unverified one does not", async () => {
    const anonymous = (await widgetSession(app)).body.visitor_token;
    const sent = await widgetPost(anonymous, { content: "question before logging in" });

    // Claiming someone else's email without the signature changes nothing.
    const spoof = await identifyAs(app, { email: "victim@example.com", visitor_token: anonymous }, { sign: false });
    expect(spoof.body.verified).toBe(false);
    expect(spoof.body.visitor_token).toBeUndefined();

    const verified = await identifyAs(app, { external_id: "user_42", name: "Ada", visitor_token: anonymous });
    expect(verified.body.verified).toBe(true);
    const identifiedToken = verified.body.visitor_token as string;
    expect(identifiedToken).toBeTruthy();

    const list = await api(`/api/v1/conversations?contact_id=${verified.body.contact_id}`, { token: app.token });
    expect(list.body.conversations.map((c: { id: string }) => c.id)).toEqual([sent.body.conversation_id]);

    // The identified visitor continues it; the bare anonymous token no longer sees it.
    const identified = await widgetSession(app, identifiedToken);
    // The widget sees its conversation's id and status, never the team's session data or ids.
    expect(identified.body).toMatchObject({ identified: true, conversation: { id: sent.body.conversation_id, status: "open" } });
    expect(Object.keys(identified.body.conversation).sort()).toEqual(["id", "status"]);
    expect((await widgetSession(app, anonymous)).body.conversation).toBeNull();
    const next = await widgetPost(identifiedToken, { content: "now logged in" });
    expect(next.body.message.author_name).toBe("Ada");
    expect(next.body.conversation_id).toBe(sent.body.conversation_id);
  });

  it("a signed id sent with someone else's email does not open that person's conversations", async () => {
    const victim = await api("/api/v1/contacts", { token: app.token, body: { email: "lead@example.com", name: "Lead" } });
    const started = await api("/api/v1/conversations", {
      token: app.token,
      body: { contact_id: victim.body.id, message: { content: "Your refund code is R-123" } },
    });
    expect(started.status).toBe(201);

    const anonymous = (await widgetSession(app)).body.visitor_token;
    const attacker = await identifyAs(app, { external_id: "mallory", email: "lead@example.com", visitor_token: anonymous });
    expect(attacker.body.verified).toBe(true);
    expect(attacker.body.contact_id).not.toBe(victim.body.id);
    const session = await widgetSession(app, attacker.body.visitor_token);
    expect(session.body).toMatchObject({ identified: true, conversation: null, messages: [] });
  });

  it("…nor does one sent first: the team's later conversation with that email reaches its real owner only", async () => {
    const anonymous = (await widgetSession(app)).body.visitor_token;
    const attacker = await identifyAs(app, { external_id: "mallory-2", email: "later@example.com", visitor_token: anonymous });
    // The app's server looks the email up to write to them: it must not get the attacker's contact.
    const found = await api("/api/v1/contacts", { token: app.token, body: { email: "later@example.com" } });
    expect(found.body.id).not.toBe(attacker.body.contact_id);
    await api("/api/v1/conversations", { token: app.token, body: { contact_id: found.body.id, message: { content: "Your refund code is R-456" } } });
    const session = await widgetSession(app, attacker.body.visitor_token);
    expect(session.body).toMatchObject({ identified: true, conversation: null, messages: [] });
  });

  it("an identified visitor hears at once of a conversation the team starts for them; their token is not renewed by a session", async () => {
    const anonymous = (await widgetSession(app)).body.visitor_token;
    const verified = await identifyAs(app, { external_id: "user_77", visitor_token: anonymous });
    const token = verified.body.visitor_token as string;
    const first = await widgetPost(token, { content: "first question" });

    const session = await widgetSession(app, token);
    expect(session.body.visitor_token).toBe(token); // identify renews it, not this

    const started = Date.now();
    const waiting = widgetPoll(token, first.body.message.id, 20);
    await new Promise((r) => setTimeout(r, 200));
    await api("/api/v1/conversations", {
      token: app.token,
      body: { contact_id: verified.body.contact_id, message: { content: "A follow-up from us" } },
    });
    const answered = await waiting;
    expect(answered.body.messages.map((m: { content: string }) => m.content)).toEqual(["A follow-up from us"]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("refuses forged, other-app and missing tokens with 401, and never shows one visitor another's conversation", async () => {
    const mine = (await widgetSession(app)).body.visitor_token as string;
    await widgetPost(mine, { content: "private" });
    const other = await createTestApp();
    const theirs = (await widgetSession(other)).body.visitor_token as string;
    const [version, payload, signature] = mine.split(".");
    const forgedPayload = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, "base64url").toString()), vid: "someone-else" })).toString(
      "base64url",
    );

    for (const token of [`${version}.${forgedPayload}.${signature}`, `${version}.${payload}.${"A".repeat(signature.length)}`, "garbage", null]) {
      const res = await api("/api/v1/widget/messages", { token });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    // Another app's visitor sees their own (empty) side, not this app's conversation.
    expect((await widgetPoll(theirs, 0)).body.conversation).toBeNull();
    // A token of another app presented to this app's session starts a fresh visitor.
    const crossed = await widgetSession(app, theirs);
    expect(crossed.body.conversation).toBeNull();
  });

  it("rejects empty, oversized and malformed messages with 422 naming the field, writing nothing", async () => {
    const token = (await widgetSession(app)).body.visitor_token as string;
    const cases: [unknown, string][] = [
      [{ content: "   " }, "content"],
      [{ content: "x".repeat(5001) }, "content"],
      [{}, "content"],
      [{ content: "ok", session_data: { "Bad Key": 1 } }, "session_data.Bad Key"],
      [{ content: "ok", session_data: { nested: { a: 1 } } }, "session_data.nested"],
    ];
    for (const [body, field] of cases) {
      const res = await widgetPost(token, body);
      expect(res.status).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await widgetSession(app, token)).body.conversation).toBeNull();
    expect((await widgetPost(token, { content: "x".repeat(5000) })).status).toBe(201);
  });
});

describe("rate limits on the public widget endpoints", () => {
  it("a client sending messages too fast gets 429 with Retry-After; another client is unaffected", async () => {
    const token = (await widgetSession(app)).body.visitor_token as string;
    const from = (ip: string) => ({ "x-convot-peer": ip });
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof widgetPost>> | null = null;
    for (let i = 0; i < 25; i++) {
      const res = await widgetPost(token, { content: `spam ${i}` }, from("203.0.113.7"));
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(limited!.body.error.code).toBe("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await widgetPost(token, { content: "a person" }, from("203.0.113.8"))).status).toBe(201);
  });

  it("identify from one address is limited too, before anything is written", async () => {
    const headers = { "x-convot-peer": "198.51.100.4" };
    let status = 0;
    let i = 0;
    for (; i < 500 && status !== 429; i++) {
      status = (await api("/api/v1/identify", { headers, body: { app_id: app.publicKey, email: `flood${i}@example.com` } })).status;
    }
    expect(status).toBe(429);
    expect(i).toBeGreaterThan(120); // the burst passed
    const refused = await api(`/api/v1/contacts?email=flood${i - 1}@example.com`, { token: app.token });
    expect(refused.body.contacts).toEqual([]);
    const accepted = await api(`/api/v1/contacts?email=flood${i - 2}@example.com`, { token: app.token });
    expect(accepted.body.contacts).toHaveLength(1);
  });
});
