import { describe, expect, it } from "vitest";
import { api, identifyAs } from "../support/convot";
import { request } from "../support/app";
import { runScript } from "../support/server";

const convot = (...args: string[]) => runScript(["scripts/convot.ts", ...args]);

describe("npm run convot", () => {
  it("app create --json prints a working app key, identity secret and API key", async () => {
    await request("/");
    const created = await convot("app", "create", "--name", "CLI App", "--json");
    expect(created.code).toBe(0);
    const out = JSON.parse(created.stdout);
    expect(out).toEqual({
      app_key: expect.stringMatching(/^app_[A-Za-z0-9]{24}$/),
      identity_secret: expect.stringMatching(/^[0-9a-f]{64}$/),
      api_key: expect.stringMatching(/^ck_[A-Za-z0-9]+:[A-Za-z0-9]+$/),
    });
    const app = { id: 0, organizationId: 0, publicKey: out.app_key, identitySecret: out.identity_secret, token: out.api_key };
    const identified = await identifyAs(app, { external_id: "cli-user" });
    expect(identified.body.verified).toBe(true);
    expect((await api(`/api/v1/contacts/${identified.body.contact_id}`, { token: out.api_key })).status).toBe(200);

    const limited = JSON.parse((await convot("apikey", "create", "--app", out.app_key, "--scopes", "contacts:read", "--json")).stdout);
    expect((await api("/api/v1/contacts", { token: limited.api_key })).status).toBe(200);
    expect((await api("/api/v1/contacts", { token: limited.api_key, body: { external_id: "z" } })).status).toBe(403);

    const revoked = await convot("apikey", "revoke", limited.id);
    expect(revoked.code).toBe(0);
    expect((await api("/api/v1/contacts", { token: limited.api_key })).status).toBe(401);
    expect((await convot("apikey", "revoke", limited.id)).code).toBe(1);
  });

  it("explains bad usage with exit code 2", async () => {
    const missing = await convot("app", "create");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--name NAME is required");
    const scope = await convot("apikey", "create", "--app", "app_whatever12", "--scopes", "contacts:delete");
    expect(scope.code).not.toBe(0);
    const unknownApp = await convot("apikey", "create", "--app", "app_doesnotexist", "--scopes", "contacts:read");
    expect(unknownApp.code).toBe(1);
    expect(unknownApp.stderr).toContain("no app with key app_doesnotexist");
  });
});
