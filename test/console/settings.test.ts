import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { api, userHash } from "../support/convot";

let n = 0;
async function setup(role = "owner") {
  await request("/");
  const { createOrganization, createApp } = await import("../../app/apps/apps.server");
  const org = await createOrganization("Settings Org");
  const app = await createApp({ organizationId: org.id, name: "Settings App" });
  const email = `settings-${++n}-${Date.now()}@convot.example`;
  await createOperator(org.id, email, "correct horse battery", role);
  const cookie = await loginCookie(email);
  const page = await (await request(`/console/apps/${app.id}/settings`, { headers: { Cookie: cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
  const post = async (fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    body.set("csrf", csrf);
    for (const [k, v] of Object.entries(fields)) for (const value of [v].flat()) body.append(k, value);
    return (
      await request(`/console/apps/${app.id}/settings`, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
        body,
      })
    ).text();
  };
  return { app, cookie, page, post };
}

describe("console app settings", () => {
  it("hides the identity secret until an owner reveals it, and rotating (confirmed) invalidates old hashes", async () => {
    const { app, page, post } = await setup();
    expect(page).toContain(app.publicKey);
    expect(page).not.toContain(app.identitySecret);
    expect(await post({ intent: "reveal-secret" })).toContain(app.identitySecret);

    expect(await post({ intent: "rotate-secret", confirm: "" })).toContain("type &quot;rotate&quot; to confirm");
    const before = await api("/api/v1/identify", {
      body: { app_id: app.publicKey, external_id: "u1", user_hash: userHash(app.identitySecret, "u1") },
    });
    expect(before.body.verified).toBe(true);
    const rotated = await post({ intent: "rotate-secret", confirm: "rotate" });
    const secret = /data-testid="identity-secret">([0-9a-f]{64})</.exec(rotated)![1];
    expect(secret).not.toBe(app.identitySecret);
    const old = await api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: "u1", user_hash: userHash(app.identitySecret, "u1") } });
    expect(old.body.verified).toBe(false);
    const fresh = await api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: "u1", user_hash: userHash(secret, "u1") } });
    expect(fresh.body.verified).toBe(true);
  });

  it("turns require-identity-verification on and off", async () => {
    const { app, post } = await setup();
    await post({ intent: "verification", require: "on" });
    expect((await api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: "anon" } })).status).toBe(403);
    await post({ intent: "verification", require: "off" });
    expect((await api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: "anon" } })).status).toBe(200);
  });

  it("creates an API key shown once with its scopes, and a revoked key stops working at once", async () => {
    const { post, app } = await setup();
    const created = await post({ intent: "create-key", name: "support tool", scopes: ["contacts:read"] });
    const token = /data-testid="new-token">([^<]+)</.exec(created)![1];
    expect((await api("/api/v1/contacts", { token })).status).toBe(200);
    expect((await api("/api/v1/contacts", { token, body: { external_id: "x" } })).status).toBe(403);
    const id = token.slice(3, token.indexOf(":"));
    const reloaded = await post({ intent: "revoke-key", keyId: id });
    expect(reloaded).not.toContain(token);
    expect((await api("/api/v1/contacts", { token })).status).toBe(401);
    void app;
  });

  it("lets an agent look but not change anything; a post without the CSRF token is refused", async () => {
    const { app, post, cookie } = await setup("agent");
    const result = await post({ intent: "reveal-secret" });
    expect(result).toContain("only an owner can do this");
    expect(result).not.toContain(app.identitySecret);
    const forged = await request(`/console/apps/${app.id}/settings`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "verification", require: "on" }),
    });
    expect(forged.status).toBe(403);
  });
});
