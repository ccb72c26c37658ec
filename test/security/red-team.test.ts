// Findings of the red team run against this fixes, each a regression test on both engines.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { api, createTestApp, type TestApp } from "../support/convot";
import { startServer, type RunningServer } from "../support/server";

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});

const identify = (body: Record<string, unknown>) => api("/api/v1/identify", { body: { app_id: app.publicKey, ...body } });

describe("the Shopify app's own Convot app", () => {
  it("cannot have its identity secret rotated or verification switched off from the console: boot would undo it", async () => {
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    const configured = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    const email = `owner-${Date.now()}@convot.example`;
    await createOperator(configured.organizationId, email);
    const cookie = await loginCookie(email);
    const page = await (await request(`/console/apps/${configured.id}/settings`, { headers: { Cookie: cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const post = async (fields: Record<string, string>) =>
      (
        await request(`/console/apps/${configured.id}/settings`, {
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ csrf, ...fields }),
        })
      ).text();
    expect(await post({ intent: "rotate-secret", confirm: "rotate" })).toContain("CONVOT_IDENTITY_SECRET");
    expect(await post({ intent: "verification", require: "off" })).toContain("CONVOT_IDENTITY_SECRET");
    const after = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    expect(after.identitySecret).toBe(process.env.CONVOT_IDENTITY_SECRET);
    expect(after.requireIdentityVerification).toBe(true);
    // Bad settings input is a message, not a 500.
    expect(await post({ intent: "create-key", scopes: "contacts:everything", name: "x" })).toContain("unknown scope");
    const revoke = await request(`/console/apps/${configured.id}/settings`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, intent: "revoke-key", keyId: "ab\u0000cd" }),
    });
    expect(revoke.status).toBeLessThan(500);
    // A post-login destination with a line break is no destination.
    const next = await request("/console/login?next=/console%3F%0D%0Ax", { headers: { Cookie: cookie } });
    expect(next.status).toBe(302);
    expect(next.headers.get("location")).toBe("/console");
  });

  it("is created once when several instances boot at the same time", async () => {
    const { ensureConfiguredApp } = await import("../../app/apps/apps.server");
    const config = { appKey: `app_Concurrent${Date.now()}`, identitySecret: "d".repeat(64) };
    const apps = await Promise.all(Array.from({ length: 8 }, () => ensureConfiguredApp(config)));
    expect(new Set(apps.map((a) => a.id)).size).toBe(1);
  });
});

describe("values one engine would refuse or store differently", () => {
  it("a custom-data value too large for PostgreSQL's index is a 422 naming it, on both engines", async () => {
    const notes = "漢".repeat(1000); // 1,000 characters, 3,000 bytes
    const answer = await identify({ external_id: "cjk-1", custom_data: { notes } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.details.map((d: { field: string }) => d.field)).toContain("custom_data.notes");
    expect((await identify({ external_id: "cjk-1", custom_data: { notes: "漢".repeat(600) } })).status).toBe(200);
  });

  it("a lone surrogate is a 422: one user_hash must not verify several stored ids", async () => {
    const hash = createHmac("sha256", app.identitySecret).update("u-s\ufffd").digest("hex");
    for (const id of ["u-s\ud800", "u-s\udc00"]) {
      const answer = await identify({ external_id: id, user_hash: hash });
      expect(answer.status, JSON.stringify(answer.body)).toBe(422);
      expect(answer.body.error.details[0].field).toBe("external_id");
    }
  });

  it("JSON nested thousands deep is a 400, not a stack overflow", async () => {
    const body = `{"app_id":"${app.publicKey}","custom_data":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const answer = await api("/api/v1/identify", { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/nests deeper/);
  });

  it("a NUL in an unverified app key (a token's claim, ?app=) is never looked up", async () => {
    const claims = Buffer.from(JSON.stringify({ app: "app_x\u0000y", vid: "v", exp: 9e9 })).toString("base64url");
    expect((await api("/api/v1/widget/messages", { token: `v2.${claims}.AAAA` })).status).toBe(401);
    expect((await api("/api/v1/widget/read", { token: `v2.${claims}.AAAA`, body: { message_id: 1 } })).status).toBe(401);
    const help = await request("/help?app=app_%00&convot_identity=v2.x.y");
    expect(help.status).toBe(200);
    expect(await help.text()).toContain("unknown app");
    expect((await request("/widget/frame?app=app_%00&host=https%3A%2F%2Fx.myshopify.com")).status).toBe(404);
  });

  it("a path that is not valid percent-encoding is a 404 in the API's envelope", async () => {
    for (const path of ["/api/v1/contacts/%E0", "/api/v1/conversations/%ZZ/messages"]) {
      const answer = await api(path, { token: app.token });
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.code).toBe("not_found");
    }
  });
});

describe("scopes and budgets", () => {
  it("a contacts:write key writing to a contact does not read it back", async () => {
    const writer = await createTestApp({ scopes: ["contacts:write"] });
    const { createApiKey } = await import("../../app/apps/api-keys.server");
    const reader = (await createApiKey({ appId: writer.id, scopes: ["contacts:read", "contacts:write"] })).token;
    const created = await api("/api/v1/contacts", { token: reader, body: { email: "private@example.com", custom_data: { plan: "pro" } } });
    const patched = await api(`/api/v1/contacts/${created.body.id}/custom_data`, { method: "PATCH", token: writer.token, body: { custom_data: {} } });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: created.body.id });
    const found = await api("/api/v1/contacts", { token: writer.token, body: { email: "private@example.com" } });
    expect(found.body).toEqual({ id: created.body.id });
  });

  it("an unverified identify cannot use up the keys the app's server needs", async () => {
    const contact = await api("/api/v1/contacts", { token: app.token, body: { external_id: "budget-1" } });
    const junk = (n: number, prefix: string) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, "x"]));
    const flood = await identify({ external_id: "budget-1", custom_data: junk(99, "junk") });
    expect(flood.status).toBe(422);
    expect((await identify({ external_id: "budget-1", custom_data: junk(50, "junk") })).status).toBe(200);
    const own = await api(`/api/v1/contacts/${contact.body.id}/custom_data`, {
      method: "PATCH",
      token: app.token,
      body: { custom_data: junk(50, "own") },
    });
    expect(own.status).toBe(200);
    expect(Object.keys(own.body.custom_data)).toHaveLength(100);
  });
});

describe("the server process", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({});
  });
  afterAll(() => server?.stop());

  it("refuses a page body over 1 MB (413) and one without a length (411) before Remix reads it", async () => {
    const big = await fetch(`${server.url}/console/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: `email=a%40b.c&password=${"x".repeat(2 * 1024 * 1024)}`,
    });
    expect(big.status).toBe(413);
    const chunked = await fetch(`${server.url}/console/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode("email=a")), c.close()) }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(411);
    const malformed = await fetch(`${server.url}/api/v1/contacts/%E0`);
    expect(malformed.status).toBe(404);
  });
});
