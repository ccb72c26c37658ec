// A signature covers exactly what is matched: user_hash and shop_hash are checked against the
// identifier in the form the lookup uses (trimmed; an email with A–Z lowercased; a shop lowercased).
import { beforeEach, describe, expect, it } from "vitest";
import { api, createTestApp, getContact, userHash, type TestApp } from "../support/convot";
import { widgetSession } from "../support/conversations";

let app: TestApp;
beforeEach(async () => {
  app = await createTestApp();
});

const identify = (body: Record<string, unknown>) => api("/api/v1/identify", { body: { app_id: app.publicKey, ...body } });

describe("what user_hash signs", () => {
  it("a hash over another spelling of an email does not verify as the contact holding it", async () => {
    const victim = await identify({ email: "victim@example.com", user_hash: userHash(app.identitySecret, "victim@example.com"), name: "Victim" });
    expect(victim.body.verified).toBe(true);
    // An account in the developer's app registered as VICTIM@EXAMPLE.COM gets its own hash from the
    // developer's server; it must not make its holder the victim.
    for (const spelling of ["VICTIM@EXAMPLE.COM", "Victim@Example.com", " victim@example.com", "victim@example.com "]) {
      const attack = await identify({
        email: spelling,
        user_hash: userHash(app.identitySecret, spelling),
        name: "Mallory",
        visitor_token: (await widgetSession(app)).body.visitor_token,
      });
      expect(attack.status, spelling).toBe(200);
      expect(attack.body.verified, spelling).toBe(false);
      expect(attack.body.identity_token).toBeUndefined();
      expect(attack.body.visitor_token).toBeUndefined();
    }
    expect((await getContact(app, victim.body.contact_id)).body.name).toBe("Victim");
  });

  it("a hash over the normalised email verifies whatever case the caller sends", async () => {
    const hash = userHash(app.identitySecret, "jane.doe@example.com");
    const first = await identify({ email: "Jane.Doe@Example.COM", user_hash: hash });
    expect(first.body.verified).toBe(true);
    const again = await identify({ email: "  jane.doe@EXAMPLE.com ", user_hash: hash });
    expect(again.body).toMatchObject({ verified: true, contact_id: first.body.contact_id });
  });

  it("a hash over an external_id with surrounding spaces does not verify the trimmed id", async () => {
    const owner = await identify({ external_id: "user_9", user_hash: userHash(app.identitySecret, "user_9"), name: "Owner" });
    expect(owner.body.verified).toBe(true);
    const attack = await identify({ external_id: " user_9 ", user_hash: userHash(app.identitySecret, " user_9 "), name: "Mallory" });
    expect(attack.body.verified).toBe(false);
    expect((await getContact(app, owner.body.contact_id)).body.name).toBe("Owner");
  });

  it("shop_hash signs the lowercased shop: a hash over another spelling does not link the merchant", async () => {
    const signed = { external_id: "merchant-1", user_hash: userHash(app.identitySecret, "merchant-1") };
    const wrong = await identify({ ...signed, shop: "ACME.myshopify.com", shop_hash: userHash(app.identitySecret, "ACME.myshopify.com") });
    expect(wrong.body.shop_verified).toBe(false);
    const right = await identify({ ...signed, shop: "ACME.myshopify.com", shop_hash: userHash(app.identitySecret, "acme.myshopify.com") });
    expect(right.body.shop_verified).toBe(true);
  });
});
