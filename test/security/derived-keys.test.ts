// Keys derived from an app's identity secret must be out of reach of anything the app's own
// server signs for a user: a user_hash is HMAC(secret, external_id), so a token key computed as
// HMAC(secret, "<purpose>") is the user_hash of a user whose external_id is that purpose string.
// Every token here is forged with such a user_hash as its key, and must be refused everywhere.
import { createHmac } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { request } from "../support/app";
import { api, createTestApp, identifyAs, userHash, type TestApp } from "../support/convot";
import { widgetPoll, widgetPost, widgetSession } from "../support/conversations";

// The purposes the code signs tokens for, today's and the ones before them.
const { TOKEN_PURPOSES = [] } = (await import("../../app/apps/signed-token")) as { TOKEN_PURPOSES?: readonly string[] };
const PURPOSES = [...new Set([...TOKEN_PURPOSES, "convot-visitor-token/v1", "convot-identity-token/v1"])];

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** Every shape a token signed with user_hash(purpose) could take: the old format and the versioned one. */
function forgeries(app: TestApp, claims: Record<string, unknown>): string[] {
  const payload = b64({ ...claims, app: app.publicKey, exp: Math.floor(Date.now() / 1000) + 3600 });
  return PURPOSES.flatMap((purpose) => {
    const key = Buffer.from(userHash(app.identitySecret, purpose), "hex");
    const mac = (text: string) => createHmac("sha256", key).update(text).digest("base64url");
    return [`${payload}.${mac(payload)}`, `v2.${payload}.${mac(payload)}`, `v2.${payload}.${mac(`v2.${payload}`)}`];
  });
}

/** The claims inside a token the app issued, whatever its format. */
function claimsOf(token: string): Record<string, unknown> {
  for (const part of token.split(".")) {
    try {
      const value = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
      if (value && typeof value === "object") return value;
    } catch {
      /* not the payload */
    }
  }
  throw new Error(`no claims in ${token}`);
}

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

describe("tokens signed with a key a user_hash can reproduce", () => {
  it("the widget's messages refuse a forged anonymous token for another visitor's conversation", async () => {
    const victim = (await widgetSession(app)).body.visitor_token as string;
    await widgetPost(victim, { content: "my address is 1 Private Lane" });
    for (const forged of forgeries(app, { vid: claimsOf(victim).vid })) {
      const read = await widgetPoll(forged, 0);
      expect(read.status, forged).toBe(401);
      expect(JSON.stringify(read.body)).not.toContain("Private Lane");
      expect((await widgetPost(forged, { content: "injected" })).status, forged).toBe(401);
    }
    // The visitor's own token still works, and nothing was injected.
    const own = await widgetPoll(victim, 0);
    expect(own.body.messages.map((m: { content: string }) => m.content)).toEqual(["my address is 1 Private Lane"]);
  });

  it("the widget session does not hand a forged token the visitor's conversation", async () => {
    const victim = (await widgetSession(app)).body.visitor_token as string;
    await widgetPost(victim, { content: "order 1001 is late" });
    for (const forged of forgeries(app, { vid: claimsOf(victim).vid })) {
      const session = await widgetSession(app, forged);
      expect(session.status).toBe(200);
      expect(session.body.conversation, forged).toBeNull();
      expect(claimsOf(session.body.visitor_token).vid).not.toBe(claimsOf(victim).vid);
    }
  });

  it("the widget refuses a forged identified token for a contact's conversation", async () => {
    const owner = await identifyAs(app, { external_id: "victim-1", visitor_token: (await widgetSession(app)).body.visitor_token });
    const identified = owner.body.visitor_token as string;
    await widgetPost(identified, { content: "card ending 4242" });
    for (const forged of forgeries(app, { vid: "attacker", sub: owner.body.contact_id })) {
      expect((await widgetPoll(forged, 0)).status, forged).toBe(401);
    }
  });

  it("identify does not move another visitor's conversation to the caller", async () => {
    const victim = (await widgetSession(app)).body.visitor_token as string;
    await widgetPost(victim, { content: "please call me on 555-0100" });
    for (const [i, forged] of forgeries(app, { vid: claimsOf(victim).vid }).entries()) {
      const attacker = await identifyAs(app, { external_id: `mallory-${i}`, visitor_token: forged });
      expect(attacker.status).toBe(200);
      const seen = await widgetSession(app, attacker.body.visitor_token);
      expect(seen.body.conversation, forged).toBeNull();
    }
    const own = await widgetPoll(victim, 0);
    expect(own.body.messages.map((m: { content: string }) => m.content)).toEqual(["please call me on 555-0100"]);
  });

  it("the help center does not recognise a forged identity token", async () => {
    const victim = await identifyAs(app, { external_id: "victim-2", name: "Victoria Private" });
    for (const forged of forgeries(app, { sub: victim.body.contact_id })) {
      const html = await (await request(`/help?app=${app.publicKey}&convot_identity=${encodeURIComponent(forged)}`)).text();
      expect(html, forged).toContain("You are browsing anonymously");
      expect(html).not.toContain("Victoria Private");
    }
  });

  it("tokens the app issues today still work: the versioned format, checked end to end", async () => {
    const session = await widgetSession(app);
    const token = session.body.visitor_token as string;
    expect(token).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    expect((await widgetPost(token, { content: "hello" })).status).toBe(201);
    const verified = await identifyAs(app, { external_id: "helen", name: "Helen Visitor" });
    expect(verified.body.identity_token).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    const html = await (await request(`/help?app=${app.publicKey}&convot_identity=${verified.body.identity_token}`)).text();
    expect(html).toContain("Signed in as <strong>Helen Visitor</strong>");
    // A token of the old, unversioned format is refused even when its signature is the old correct one.
    const [, payload, signature] = token.split(".");
    expect((await api("/api/v1/widget/messages?after=0", { token: `${payload}.${signature}` })).status).toBe(401);
  });
});
