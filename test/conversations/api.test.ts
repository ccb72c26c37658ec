import { beforeEach, describe, expect, it } from "vitest";
import { createOperator } from "../support/console";
import { api, createTestApp, identifyAs, type TestApp } from "../support/convot";

let app: TestApp;
let contactId: number;
beforeEach(async () => {
  app = await createTestApp();
  contactId = (await identifyAs(app, { external_id: "merchant_1", name: "Mia" })).body.contact_id;
});

const start = (token: string, body: unknown) => api("/api/v1/conversations", { token, body });

describe("/api/v1/conversations", () => {
  it("starts a conversation with a contact and lists it with the pagination meta", async () => {
    const created = await start(app.token, {
      contact_id: contactId,
      message: { content: "Welcome aboard!" },
      session_data: { source: "onboarding" },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ contact_id: contactId, status: "open", session_data: { source: "onboarding" } });
    expect(created.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.body.messages).toEqual([
      expect.objectContaining({ type: "outgoing", content: "Welcome aboard!", author: { name: "Test App", operator_id: null } }),
    ]);

    await new Promise((r) => setTimeout(r, 5)); // a later last activity, to the millisecond
    await start(app.token, { contact_id: contactId });
    const page1 = await api("/api/v1/conversations?per_page=1", { token: app.token });
    expect(page1.body.meta).toEqual({ page: 1, per_page: 1, has_more: true });
    const page2 = await api("/api/v1/conversations?per_page=1&page=2", { token: app.token });
    expect(page2.body.meta).toEqual({ page: 2, per_page: 1, has_more: false });
    expect(page2.body.conversations[0].id).toBe(created.body.id); // older activity comes later
  });

  it("posts replies, notes and incoming messages; resolved conversations reopen on a new message", async () => {
    const { body: conversation } = await start(app.token, { contact_id: contactId, message: { type: "incoming", content: "Hi" } });
    const operator = await createOperator(app.organizationId, "agent@example.com", "correct horse battery", "agent");
    const reply = await api(`/api/v1/conversations/${conversation.id}/messages`, {
      token: app.token,
      body: { content: "Hello Mia", operator_id: operator.id },
    });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ type: "outgoing", author: { name: "agent@example.com", operator_id: operator.id } });
    const note = await api(`/api/v1/conversations/${conversation.id}/messages`, { token: app.token, body: { content: "VIP", type: "note" } });
    expect(note.body.type).toBe("note");
    const listed = await api(`/api/v1/conversations/${conversation.id}/messages`, { token: app.token });
    expect(listed.body.messages.map((m: { type: string }) => m.type)).toEqual(["incoming", "outgoing", "note"]);
    expect(listed.body.meta).toEqual({ page: 1, per_page: 25, has_more: false });
  });

  it("answers bad input with 422 naming the field", async () => {
    const { body: conversation } = await start(app.token, { contact_id: contactId });
    const cases: [string, unknown, string][] = [
      ["/api/v1/conversations", {}, "contact_id"],
      ["/api/v1/conversations", { contact_id: contactId, message: { content: "" } }, "message.content"],
      [`/api/v1/conversations/${conversation.id}/messages`, { content: "x", type: "activity" }, "type"],
      [`/api/v1/conversations/${conversation.id}/messages`, { content: "x".repeat(5001) }, "content"],
      [`/api/v1/conversations/${conversation.id}/messages`, { content: "x", operator_id: 999_999 }, "operator_id"],
    ];
    for (const [path, body, field] of cases) {
      const res = await api(path, { token: app.token, body });
      expect(res.status, `${path} ${JSON.stringify(body).slice(0, 60)}`).toBe(422);
      expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    expect((await api("/api/v1/conversations?status=maybe", { token: app.token })).status).toBe(422);
  });

  it("needs the right scope for each call, and another app's conversation is 404", async () => {
    const { body: conversation } = await start(app.token, { contact_id: contactId });
    const readOnly = await createTestApp({ organizationId: app.organizationId, scopes: ["conversations:read"] });
    expect((await api("/api/v1/conversations", { token: readOnly.token })).status).toBe(200);
    expect((await start(readOnly.token, { contact_id: contactId })).body.error.code).toBe("forbidden");
    expect((await api(`/api/v1/conversations/${conversation.id}/messages`, { token: readOnly.token })).status).toBe(403);

    const contactsOnly = await createTestApp({ scopes: ["contacts:read", "contacts:write"] });
    expect((await api("/api/v1/conversations", { token: contactsOnly.token })).status).toBe(403);

    const other = await createTestApp({ organizationId: app.organizationId });
    for (const res of [
      await api(`/api/v1/conversations/${conversation.id}/messages`, { token: other.token }),
      await api(`/api/v1/conversations/${conversation.id}/messages`, { token: other.token, body: { content: "hijack" } }),
      await api(`/api/v1/conversations/not-a-uuid/messages`, { token: app.token }),
      // A contact of the same organization but unknown to this app:
      await start(other.token, { contact_id: contactId }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect((await api("/api/v1/conversations", { token: null })).status).toBe(401);
  });

  it("keeps content exactly as written (escaping is the display's job)", async () => {
    const payload = `<script>alert("x")</script><img src=x onerror=alert(1)>`;
    const { body } = await start(app.token, { contact_id: contactId, message: { type: "incoming", content: payload } });
    expect(body.messages[0].content).toBe(payload);
  });
});

describe("starting a conversation is all or nothing", () => {
  it("a bad first message leaves no conversation behind, and a first message needs messages:write", async () => {
    const res = await start(app.token, { contact_id: contactId, message: { content: "hi", type: "activity" } });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toEqual(["message.type"]);
    expect((await api(`/api/v1/conversations?contact_id=${contactId}`, { token: app.token })).body.conversations).toEqual([]);

    const { createApiKey } = await import("../../app/apps/api-keys.server");
    const noMessages = (await createApiKey({ appId: app.id, scopes: ["conversations:write"] })).token;
    expect((await start(noMessages, { contact_id: contactId, message: { content: "hi" } })).status).toBe(403);
    expect((await start(noMessages, { contact_id: contactId })).status).toBe(201);
  });
});
