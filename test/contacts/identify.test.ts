import { beforeEach, describe, expect, it } from "vitest";
import { api, createTestApp, getContact, identifyAs, userHash, type TestApp } from "../support/convot";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

describe("POST /api/v1/identify — signatures", () => {
  it("user_hash is the lowercase hex HMAC-SHA256 of external_id, keyed by the identity secret", async () => {
    const res = await identifyAs(app, { external_id: "user_123", email: "jane@example.com", name: "Jane Doe" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: true });
    expect(Number.isInteger(res.body.contact_id)).toBe(true);
    const contact = await getContact(app, res.body.contact_id);
    expect(contact.body).toMatchObject({ external_id: "user_123", email: "jane@example.com", name: "Jane Doe", verified: true });
  });

  it("signs the email when there is no external_id", async () => {
    const res = await identifyAs(app, { email: "solo@example.com" });
    expect(res.body.verified).toBe(true);
  });

  it("a wrong, uppercase or other-app hash is not verified", async () => {
    const other = await createTestApp();
    for (const user_hash of [
      "0".repeat(64),
      userHash(app.identitySecret, "user_1").toUpperCase(),
      userHash(other.identitySecret, "user_1"),
      userHash(app.identitySecret, "user_2"),
    ]) {
      const res = await api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: "user_1", user_hash } });
      expect(res.status).toBe(200);
      expect(res.body.verified).toBe(false);
    }
  });

  it("only a signed shop sets the trusted shopify_domain", async () => {
    const unsigned = await identifyAs(app, { external_id: "m1", shop: "acme.myshopify.com", shop_hash: "f".repeat(64) });
    expect(unsigned.body.shop_verified).toBe(false);
    expect((await getContact(app, unsigned.body.contact_id)).body.shopify_domain).toBeNull();

    // A valid shop_hash inside an unverified call proves nothing about the caller.
    const replayed = await identifyAs(
      app,
      { external_id: "m1", shop: "other.myshopify.com", shop_hash: userHash(app.identitySecret, "other.myshopify.com") },
      { sign: false },
    );
    expect(replayed.body.shop_verified).toBe(false);
    expect((await getContact(app, unsigned.body.contact_id)).body.shopify_domain).toBeNull();

    const signed = await identifyAs(app, {
      external_id: "m1",
      shop: "acme.myshopify.com",
      shop_hash: userHash(app.identitySecret, "acme.myshopify.com"),
    });
    expect(signed.body.shop_verified).toBe(true);
    expect((await getContact(app, signed.body.contact_id)).body.shopify_domain).toBe("acme.myshopify.com");
  });
});

describe("matching", () => {
  it("finds by external_id, then by email, else creates", async () => {
    const first = await identifyAs(app, { external_id: "u1", email: "a@example.com" });
    const byId = await identifyAs(app, { external_id: "u1" });
    expect(byId.body.contact_id).toBe(first.body.contact_id);

    // An identify whose hash signs the email matches by email; so does an unsigned call
    // (which may only fill blanks), and the app's server through the API.
    const emailOnly = await identifyAs(app, { email: "b@example.com" });
    const signedEmail = await identifyAs(app, { email: "B@Example.com", name: "Bea" });
    expect(signedEmail.body.contact_id).toBe(emailOnly.body.contact_id);
    const unsigned = await identifyAs(app, { external_id: "u2", email: "b@example.com", company: "Bea Co" }, { sign: false });
    expect(unsigned.body.contact_id).toBe(emailOnly.body.contact_id);
    const viaApi = await api("/api/v1/contacts", { token: app.token, body: { external_id: "u2", email: "B@example.com" } });
    expect(viaApi.body.id).toBe(emailOnly.body.contact_id);
    expect((await getContact(app, emailOnly.body.contact_id)).body).toMatchObject({ external_id: "u2", name: "Bea", company: "Bea Co" });

    const fresh = await identifyAs(app, { external_id: "u3" });
    expect([first.body.contact_id, emailOnly.body.contact_id]).not.toContain(fresh.body.contact_id);
  });

  it("a signed external_id never takes over a contact found only by its unsigned email", async () => {
    // Anyone with an account has a valid user_hash for their own id, and can send any email.
    const victim = await identifyAs(app, { email: "victim@example.com", name: "Victim", custom_data: { plan: "plus" } });
    const attacker = await identifyAs(app, {
      external_id: "attacker-1",
      email: "victim@example.com",
      name: "Mallory",
      custom_data: { plan: "free" },
    });
    expect(attacker.body.verified).toBe(true);
    expect(attacker.body.contact_id).not.toBe(victim.body.contact_id);
    expect((await getContact(app, victim.body.contact_id)).body).toMatchObject({ external_id: null, name: "Victim", custom_data: { plan: "plus" } });
    expect((await getContact(app, attacker.body.contact_id)).body).toMatchObject({
      external_id: "attacker-1",
      email: "victim@example.com",
      name: "Mallory",
    });
    // Its identity token is for its own contact, and later calls keep matching that one.
    const again = await identifyAs(app, { external_id: "attacker-1", email: "victim@example.com" });
    expect(again.body.contact_id).toBe(attacker.body.contact_id);
  });

  it("an email that came beside a signed external_id never draws a later email match, whoever comes first", async () => {
    const attacker = await identifyAs(app, { external_id: "attacker-2", email: "first@example.com", name: "Mallory" });
    // The real owner of the email, identified by a hash of it, gets a contact of their own…
    const owner = await identifyAs(app, { email: "first@example.com", name: "Owner" });
    expect(owner.body.verified).toBe(true);
    expect(owner.body.contact_id).not.toBe(attacker.body.contact_id);
    // …and so does the app's server finding or creating by email, and an unsigned call.
    const viaApi = await api("/api/v1/contacts", { token: app.token, body: { email: "first@example.com" } });
    expect([attacker.body.contact_id]).not.toContain(viaApi.body.id);
    const unsigned = await identifyAs(app, { email: "first@example.com", phone: "+15550199" }, { sign: false });
    expect(unsigned.body.contact_id).not.toBe(attacker.body.contact_id);
    expect((await getContact(app, attacker.body.contact_id)).body).toMatchObject({ name: "Mallory", phone: null });

    // An app that signs emails: a user's own email hash, sent as an external_id, vouches for no other email.
    const signedAsId = await api("/api/v1/identify", {
      body: {
        app_id: app.publicKey,
        external_id: "mallory@example.com",
        email: "second@example.com",
        user_hash: userHash(app.identitySecret, "mallory@example.com"),
      },
    });
    expect(signedAsId.body.verified).toBe(true);
    const secondOwner = await identifyAs(app, { email: "second@example.com" });
    expect(secondOwner.body.contact_id).not.toBe(signedAsId.body.contact_id);

    // The app's server listing contacts by that email does not get the attacker's either.
    const listed = await api("/api/v1/contacts?email=FIRST@example.com", { token: app.token });
    expect(listed.body.contacts.map((c: { id: number }) => c.id)).not.toContain(attacker.body.contact_id);
    expect(listed.body.contacts.length).toBeGreaterThan(0);

    // Once the app's server vouches for that contact's email (the API writes it), it is found by it again.
    await api("/api/v1/contacts", { token: app.token, body: { external_id: "attacker-2", email: "first@example.com" } });
    const relisted = await api("/api/v1/contacts?email=first@example.com", { token: app.token });
    expect(relisted.body.contacts.map((c: { id: number }) => c.id)).toContain(attacker.body.contact_id);
  });

  it("folds only ASCII case in emails: a signed look-alike is not someone else's address", async () => {
    const kate = await api("/api/v1/contacts", { token: app.token, body: { email: "Kate@Example.com", name: "Kate" } });
    expect(kate.body.email).toBe("kate@example.com");
    const kelvin = "\u212Aate@example.com"; // K is the Kelvin sign, which full Unicode folding turns into "k"
    const lookalike = await identifyAs(app, { email: kelvin, name: "Not Kate" });
    expect(lookalike.body.verified).toBe(true);
    expect(lookalike.body.contact_id).not.toBe(kate.body.id);
    expect((await getContact(app, kate.body.id)).body.name).toBe("Kate");
    expect((await getContact(app, lookalike.body.contact_id)).body.email).toBe(kelvin);
  });

  it("never attaches by email to a contact that has another external_id", async () => {
    const owner = await identifyAs(app, { external_id: "owner", email: "shared@example.com" });
    const other = await identifyAs(app, { external_id: "someone-else", email: "shared@example.com" });
    expect(other.body.contact_id).not.toBe(owner.body.contact_id);
    expect((await getContact(app, owner.body.contact_id)).body.external_id).toBe("owner");
  });

  it("matches within the organization: apps of one organization share the contact, custom data stays per app", async () => {
    const sibling = await createTestApp({ organizationId: app.organizationId });
    const a = await identifyAs(app, { external_id: "shared", custom_data: { plan: "pro" } });
    const b = await identifyAs(sibling, { external_id: "shared", custom_data: { plan: "free", seats: 3 } });
    expect(b.body.contact_id).toBe(a.body.contact_id);
    expect((await getContact(app, a.body.contact_id)).body.custom_data).toEqual({ plan: "pro" });
    expect((await getContact(sibling, a.body.contact_id)).body.custom_data).toEqual({ plan: "free", seats: 3 });

    const stranger = await createTestApp();
    const c = await identifyAs(stranger, { external_id: "shared" });
    expect(c.body.contact_id).not.toBe(a.body.contact_id);
  });
});

describe("what a verified call writes", () => {
  it("writes every field it sends, leaves the others, merges custom data and deletes on null", async () => {
    const { body } = await identifyAs(app, {
      external_id: "v1",
      name: "Jane",
      company: "Acme",
      custom_data: { plan: "starter", seats: 2, beta: true },
    });
    await identifyAs(app, { external_id: "v1", name: "Jane Doe", custom_data: { plan: "pro", seats: null, mrr_usd: 99.5 } });
    const contact = (await getContact(app, body.contact_id)).body;
    expect(contact).toMatchObject({ name: "Jane Doe", company: "Acme" });
    expect(contact.custom_data).toEqual({ plan: "pro", beta: true, mrr_usd: 99.5 });
  });
});

describe("what an unverified call may write", () => {
  it("only fills blanks: never overwrites or deletes a stored value or field", async () => {
    const { body } = await identifyAs(app, { external_id: "victim", name: "Real Name", custom_data: { plan: "pro" } });
    const spoof = await identifyAs(
      app,
      { external_id: "victim", name: "Spoofed", phone: "+15550100", custom_data: { plan: "free", plan_note: "hi", active: null } },
      { sign: false },
    );
    expect(spoof.body).toMatchObject({ contact_id: body.contact_id, verified: false });
    await identifyAs(app, { external_id: "victim", custom_data: { active: true } });
    await identifyAs(app, { external_id: "victim", custom_data: { active: null } }, { sign: false });
    const contact = (await getContact(app, body.contact_id)).body;
    expect(contact.name).toBe("Real Name");
    expect(contact.phone).toBe("+15550100");
    expect(contact.custom_data).toEqual({ plan: "pro", plan_note: "hi", active: true });
  });

  it("cannot claim an email-matched contact for its own external_id", async () => {
    const owner = await identifyAs(app, { email: "owner@example.com", name: "Owner" });
    const attacker = await identifyAs(app, { email: "owner@example.com", external_id: "attacker" }, { sign: false });
    expect(attacker.body.verified).toBe(false);
    expect((await getContact(app, owner.body.contact_id)).body.external_id).toBeNull();
  });

  it("is refused with 403 identity_verification_required when the app requires verification, writing nothing", async () => {
    const strict = await createTestApp({ requireIdentityVerification: true });
    const res = await identifyAs(strict, { external_id: "x1", custom_data: { plan: "pro" } }, { sign: false });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("identity_verification_required");
    const list = await api("/api/v1/contacts", { token: strict.token });
    expect(list.body.contacts).toEqual([]);
    const signed = await identifyAs(strict, { external_id: "x1" });
    expect(signed.body.verified).toBe(true);
  });
});

describe("custom data rules", () => {
  const invalidCases: [string, Record<string, unknown>, string][] = [
    ["an uppercase key", { Plan: "pro" }, "custom_data.Plan"],
    ["a key starting with a digit", { "1plan": "pro" }, "custom_data.1plan"],
    ["a key with a space", { "my plan": "pro" }, "custom_data.my plan"],
    ["a 65-character key", { ["k" + "a".repeat(64)]: 1 }, "custom_data.k"],
    ["an object value", { plan: { tier: "pro" } }, "custom_data.plan"],
    ["an array value", { tags: ["a"] }, "custom_data.tags"],
    ["a 1,001-character string", { note: "x".repeat(1001) }, "custom_data.note"],
  ];

  it.each(invalidCases)("rejects %s with 422 naming the key, writing nothing", async (_label, customData, field) => {
    const res = await identifyAs(app, { external_id: "strict-1", name: "Should Not Exist", custom_data: { ok: 1, ...customData } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("unprocessable_entity");
    expect(res.body.error.details.map((d: { field: string }) => d.field).join(" ")).toContain(field);
    const list = await api("/api/v1/contacts?external_id=strict-1", { token: app.token });
    expect(list.body.contacts).toEqual([]);
  });

  it("rejects a non-finite number (1e400 parses to Infinity)", async () => {
    const res = await api("/api/v1/identify", {
      body: `{"app_id":"${app.publicKey}","external_id":"n1","custom_data":{"mrr":1e400}}`,
    });
    expect(res.status).toBe(422);
    expect(res.body.error.details[0]).toMatchObject({ field: "custom_data.mrr", message: "must be a finite number" });
  });

  it("accepts keys with - and _, 64 characters, strings of 1,000, numbers and booleans", async () => {
    const customData = { "a-b_c9": "x".repeat(1000), ["k" + "a".repeat(63)]: 1.25, active: false };
    const res = await identifyAs(app, { external_id: "ok-1", custom_data: customData });
    expect(res.status).toBe(200);
    expect((await getContact(app, res.body.contact_id)).body.custom_data).toEqual(customData);
  });

  it("allows 100 keys per contact per app and refuses the 101st, naming it", async () => {
    const hundred = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, i]));
    const res = await identifyAs(app, { external_id: "many", custom_data: hundred });
    expect(res.status).toBe(200);
    const over = await identifyAs(app, { external_id: "many", name: "Not Written", custom_data: { k0: -1, extra: 1 } });
    expect(over.status).toBe(422);
    expect(over.body.error.details[0].field).toBe("custom_data.extra");
    const contact = (await getContact(app, res.body.contact_id)).body;
    expect(Object.keys(contact.custom_data)).toHaveLength(100);
    expect(contact.custom_data.k0).toBe(0);
    expect(contact.name).toBeNull();
    const swap = await identifyAs(app, { external_id: "many", custom_data: { k0: null, extra: 1 } });
    expect(swap.status).toBe(200);
  });
});

describe("bad requests", () => {
  it("an unknown app is 404", async () => {
    const res = await api("/api/v1/identify", { body: { app_id: "app_doesnotexist00", external_id: "x" } });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: "not_found" });
  });

  it("malformed JSON is 400 and names the problem", async () => {
    const res = await api("/api/v1/identify", { body: "{not json" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/not valid JSON/);
  });

  it("a body over 64 KB is 413", async () => {
    const res = await identifyAs(app, { external_id: "big", name: "x".repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
  });

  it("neither external_id nor email is 422; an unknown field is named", async () => {
    const res = await api("/api/v1/identify", { body: { app_id: app.publicKey, name: "Nobody", customData: {} } });
    expect(res.status).toBe(422);
    const fields = res.body.error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(["external_id", "customData"]));
  });

  it("answers CORS preflight so the widget can call it from any origin", async () => {
    const { request } = await import("../support/app");
    const res = await request("/api/v1/identify", { method: "OPTIONS", headers: { Origin: "https://shop.example" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
  });
});
