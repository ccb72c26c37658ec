import { beforeEach, describe, expect, it } from "vitest";
import { api, createTestApp, identifyAs, type TestApp } from "../support/convot";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

async function newContact(target: TestApp, body: Record<string, unknown>) {
  const res = await api("/api/v1/contacts", { token: target.token, body });
  expect([200, 201]).toContain(res.status);
  return res.body;
}

describe("API keys", () => {
  it("a missing, malformed or unknown key is 401 with the error envelope", async () => {
    for (const token of [null, "nope", "ck_UnknownKey0000:UnknownSecret0000000000", `${app.token}x`]) {
      const res = await api("/api/v1/contacts", { token });
      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });

  it("a key without the scope is 403 naming it", async () => {
    const readOnly = await createTestApp({ scopes: ["contacts:read"] });
    const res = await api("/api/v1/contacts", { token: readOnly.token, body: { external_id: "x" } });
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: "forbidden", message: expect.stringContaining("contacts:write") });
    expect((await api("/api/v1/contacts", { token: readOnly.token })).status).toBe(200);
  });

  it("a revoked key stops working at once", async () => {
    const { revokeApiKey } = await import("../../app/apps/api-keys.server");
    expect((await api("/api/v1/contacts", { token: app.token })).status).toBe(200);
    await revokeApiKey(app.token.slice(3, app.token.indexOf(":")));
    expect((await api("/api/v1/contacts", { token: app.token })).status).toBe(401);
  });

  it("another app's contact is 404, never 403 — even in the same organization", async () => {
    const mine = await newContact(app, { external_id: "mine", custom_data: { plan: "pro" } });
    for (const other of [await createTestApp(), await createTestApp({ organizationId: app.organizationId })]) {
      for (const [method, path, body] of [
        ["GET", `/api/v1/contacts/${mine.id}`, undefined],
        ["GET", `/api/v1/contacts/${mine.id}/events`, undefined],
        ["POST", `/api/v1/contacts/${mine.id}/events`, { name: "peek" }],
        ["PATCH", `/api/v1/contacts/${mine.id}/custom_data`, { custom_data: { plan: "free" } }],
        ["PUT", `/api/v1/contacts/${mine.id}/custom_data`, { custom_data: {} }],
        ["DELETE", `/api/v1/contacts/${mine.id}`, undefined],
      ] as const) {
        const res = await api(path, { method, token: other.token, body });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
      const list = await api("/api/v1/contacts?external_id=mine", { token: other.token });
      expect(list.body.contacts).toEqual([]);
    }
    expect((await api(`/api/v1/contacts/${mine.id}`, { token: app.token })).body.custom_data).toEqual({ plan: "pro" });
  });
});

describe("contacts", () => {
  it("POST finds or creates (201, then 200 for the same person) and returns the contact JSON", async () => {
    const created = await api("/api/v1/contacts", {
      token: app.token,
      body: { external_id: "api-1", email: "Api@Example.com", name: "Api Person", custom_data: { plan: "pro" } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(Number),
      email: "api@example.com",
      external_id: "api-1",
      name: "Api Person",
      company: null,
      phone: null,
      avatar_url: null,
      custom_data: { plan: "pro" },
      shopify_domain: null,
      verified: true,
      created_at: expect.stringMatching(/Z$/),
      updated_at: expect.stringMatching(/Z$/),
    });
    const again = await api("/api/v1/contacts", { token: app.token, body: { email: "api@example.com", company: "Acme" } });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: created.body.id, company: "Acme", name: "Api Person" });
  });

  it("GET /contacts/:id returns the contact; an unknown or malformed id is 404", async () => {
    const contact = await newContact(app, { external_id: "g1" });
    expect((await api(`/api/v1/contacts/${contact.id}`, { token: app.token })).body.external_id).toBe("g1");
    expect((await api(`/api/v1/contacts/999999`, { token: app.token })).status).toBe(404);
    expect((await api(`/api/v1/contacts/abc`, { token: app.token })).status).toBe(404);
  });

  it("lists with filters that AND together, comparing each custom value's string form", async () => {
    await newContact(app, { external_id: "p1", email: "p1@example.com", custom_data: { plan: "pro", active: true, seats: 5 } });
    await newContact(app, { external_id: "p2", custom_data: { plan: "pro", active: false, seats: 5 } });
    await newContact(app, { external_id: "f1", custom_data: { plan: "free", active: true } });
    const ids = async (query: string) =>
      (await api(`/api/v1/contacts?${query}`, { token: app.token })).body.contacts.map((c: { external_id: string }) => c.external_id).sort();
    expect(await ids("custom_data.plan=pro")).toEqual(["p1", "p2"]);
    expect(await ids("custom_data.plan=pro&custom_data.active=true")).toEqual(["p1"]);
    expect(await ids("custom_data.seats=5")).toEqual(["p1", "p2"]);
    expect(await ids("custom_data.plan=pro&external_id=p2")).toEqual(["p2"]);
    expect(await ids("email=P1@example.com")).toEqual(["p1"]);
    expect(await ids("custom_data.plan=enterprise")).toEqual([]);
  });

  it("paginates newest first with meta {page, per_page, has_more}", async () => {
    for (let i = 1; i <= 5; i++) await newContact(app, { external_id: `page-${i}` });
    const first = await api("/api/v1/contacts?per_page=2", { token: app.token });
    expect(first.body.meta).toEqual({ page: 1, per_page: 2, has_more: true });
    expect(first.body.contacts.map((c: { external_id: string }) => c.external_id)).toEqual(["page-5", "page-4"]);
    const last = await api("/api/v1/contacts?per_page=2&page=3", { token: app.token });
    expect(last.body.meta).toEqual({ page: 3, per_page: 2, has_more: false });
    expect(last.body.contacts).toHaveLength(1);
    const bad = await api("/api/v1/contacts?per_page=500", { token: app.token });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].field).toBe("per_page");
  });

  it("an unknown filter is 422 naming it", async () => {
    const res = await api("/api/v1/contacts?plan=pro", { token: app.token });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0].field).toBe("plan");
  });

  it("PATCH custom_data merges (null deletes); PUT replaces the whole object", async () => {
    const contact = await newContact(app, { external_id: "cd", custom_data: { plan: "pro", seats: 3, beta: true } });
    const patched = await api(`/api/v1/contacts/${contact.id}/custom_data`, {
      method: "PATCH",
      token: app.token,
      body: { custom_data: { plan: "plus", seats: null } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.custom_data).toEqual({ plan: "plus", beta: true });
    const replaced = await api(`/api/v1/contacts/${contact.id}/custom_data`, {
      method: "PUT",
      token: app.token,
      body: { custom_data: { tier: "gold" } },
    });
    expect(replaced.body.custom_data).toEqual({ tier: "gold" });
    const invalid = await api(`/api/v1/contacts/${contact.id}/custom_data`, {
      method: "PATCH",
      token: app.token,
      body: { custom_data: { tier: "x", "Bad Key": 1 } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.details[0].field).toBe("custom_data.Bad Key");
    expect((await api(`/api/v1/contacts/${contact.id}`, { token: app.token })).body.custom_data).toEqual({ tier: "gold" });
    await api(`/api/v1/contacts/${contact.id}/custom_data`, { method: "PATCH", token: app.token, body: { custom_data: { constructor: "x" } } });
    const cleared = await api(`/api/v1/contacts/${contact.id}/custom_data`, { method: "PUT", token: app.token, body: { custom_data: {} } });
    expect(cleared.body.custom_data).toEqual({});
  });

  it("DELETE erases the contact's data in this app only", async () => {
    const sibling = await createTestApp({ organizationId: app.organizationId });
    const contact = await newContact(app, { external_id: "erase-me", custom_data: { plan: "pro" } });
    await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body: { name: "plan_upgraded" } });
    await newContact(sibling, { external_id: "erase-me", custom_data: { plan: "free" } });

    const res = await api(`/api/v1/contacts/${contact.id}`, { method: "DELETE", token: app.token });
    expect(res.status).toBe(204);
    expect((await api(`/api/v1/contacts/${contact.id}`, { token: app.token })).status).toBe(404);
    expect((await api(`/api/v1/contacts/${contact.id}`, { token: sibling.token })).body.custom_data).toEqual({ plan: "free" });

    const again = await newContact(app, { external_id: "erase-me" });
    expect(again.custom_data).toEqual({});
    expect((await api(`/api/v1/contacts/${again.id}/events`, { token: app.token })).body.events).toEqual([]);
  });

  it("a verified widget identify and the API see the same contact", async () => {
    const { body } = await identifyAs(app, { external_id: "both", custom_data: { plan: "pro" } });
    const list = await api("/api/v1/contacts?external_id=both", { token: app.token });
    expect(list.body.contacts.map((c: { id: number }) => c.id)).toEqual([body.contact_id]);
  });
});

describe("events", () => {
  it("POST records an event (201) with the Convot docs' shape", async () => {
    const contact = await newContact(app, { external_id: "ev" });
    const res = await api(`/api/v1/contacts/${contact.id}/events`, {
      token: app.token,
      body: { name: "plan_upgraded", occurred_at: "2026-06-07T10:30:00Z", properties: { from_plan: "starter", to_plan: "pro", mrr_delta: 50 } },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.any(Number),
      contact_id: contact.id,
      name: "plan_upgraded",
      occurred_at: "2026-06-07T10:30:00.000Z",
      properties: { from_plan: "starter", to_plan: "pro", mrr_delta: 50 },
      created_at: expect.any(String),
    });
  });

  it("occurred_at defaults to now; a zone offset is honoured", async () => {
    const contact = await newContact(app, { external_id: "ev-now" });
    const before = Date.now();
    const res = await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body: { name: "trial_started" } });
    expect(Date.parse(res.body.occurred_at)).toBeGreaterThanOrEqual(before - 1000);
    const offset = await api(`/api/v1/contacts/${contact.id}/events`, {
      token: app.token,
      body: { name: "trial_ended", occurred_at: "2026-06-07T12:30:00+02:00" },
    });
    expect(offset.body.occurred_at).toBe("2026-06-07T10:30:00.000Z");
  });

  it.each([
    [{ name: "Plan Upgraded" }, "name"],
    [{ name: "1st" }, "name"],
    [{ name: "a".repeat(65) }, "name"],
    [{ name: "ok", occurred_at: "yesterday" }, "occurred_at"],
    [{ name: "ok", occurred_at: "2026-13-45T99:00:00Z" }, "occurred_at"],
    [{ name: "ok", properties: { nested: { a: 1 } } }, "properties.nested"],
    [{ name: "ok", properties: { Bad: 1 } }, "properties.Bad"],
    [{ name: "ok", properties: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])) }, "properties"],
    [{ name: "ok", when: "now" }, "when"],
  ])("rejects %j with 422 naming %s, writing nothing", async (body, field) => {
    const contact = await newContact(app, { external_id: "ev-bad" });
    const res = await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body });
    expect(res.status).toBe(422);
    expect(res.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    expect((await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token })).body.events).toEqual([]);
  });

  it("the timeline is newest first by occurred_at, whatever the order events arrived in", async () => {
    const contact = await newContact(app, { external_id: "timeline" });
    for (const [name, at] of [
      ["shop_installed", "2026-01-01T00:00:00Z"],
      ["plan_downgraded", "2026-03-01T00:00:00Z"],
      ["plan_upgraded", "2026-02-01T00:00:00Z"],
    ]) {
      await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body: { name, occurred_at: at } });
    }
    const page1 = await api(`/api/v1/contacts/${contact.id}/events?per_page=2`, { token: app.token });
    expect(page1.body.events.map((e: { name: string }) => e.name)).toEqual(["plan_downgraded", "plan_upgraded"]);
    expect(page1.body.meta).toEqual({ page: 1, per_page: 2, has_more: true });
    const page2 = await api(`/api/v1/contacts/${contact.id}/events?per_page=2&page=2`, { token: app.token });
    expect(page2.body.events.map((e: { name: string }) => e.name)).toEqual(["shop_installed"]);
  });

  it("a retry with the same Idempotency-Key returns the first event (200) and adds nothing", async () => {
    const contact = await newContact(app, { external_id: "idem" });
    const send = (name: string) =>
      api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body: { name }, headers: { "Idempotency-Key": "evt-42" } });
    const first = await send("charge_failed");
    const retry = await send("charge_failed");
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    const concurrent = await Promise.all(
      [1, 2, 3].map(() =>
        api(`/api/v1/contacts/${contact.id}/events`, { token: app.token, body: { name: "x" }, headers: { "Idempotency-Key": "evt-43" } }),
      ),
    );
    expect(concurrent.map((r) => r.status).sort()).toEqual([200, 200, 201]);
    expect((await api(`/api/v1/contacts/${contact.id}/events`, { token: app.token })).body.events).toHaveLength(2);
  });

  it("an Idempotency-Key already used for another contact is 422, not that contact's event", async () => {
    const one = await newContact(app, { external_id: "idem-1" });
    const two = await newContact(app, { external_id: "idem-2" });
    const headers = { "Idempotency-Key": "shared-key" };
    expect((await api(`/api/v1/contacts/${one.id}/events`, { token: app.token, body: { name: "a" }, headers })).status).toBe(201);
    const other = await api(`/api/v1/contacts/${two.id}/events`, { token: app.token, body: { name: "a" }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error.details[0].field).toBe("Idempotency-Key");
  });

  it("a body over 64 KB is 413", async () => {
    const contact = await newContact(app, { external_id: "ev-big" });
    const res = await api(`/api/v1/contacts/${contact.id}/events`, {
      token: app.token,
      body: { name: "big", properties: { blob: "x".repeat(66_000) } },
    });
    expect(res.status).toBe(413);
  });
});
