// A revoked credential stays revoked: boot creates the configured CONVOT_API_KEY when it does not
// exist, and refuses to start, naming the variable, when that key was revoked.
import { describe, expect, it } from "vitest";
import { api } from "../support/convot";
import { request } from "../support/app";
import { startServer } from "../support/server";

const configured = process.env.CONVOT_API_KEY!;
const keyId = /^ck_([^:]+):/.exec(configured)![1];

describe("the configured API key (CONVOT_API_KEY)", () => {
  it("works once boot has created it, and a revocation survives the next boot", async () => {
    await request("/"); // boots: the key is created
    expect((await api("/api/v1/contacts", { token: configured })).status).toBe(200);

    const { revokeApiKey, ensureConfiguredApiKey } = await import("../../app/apps/api-keys.server");
    expect(await revokeApiKey(keyId)).toBe(true);
    expect((await api("/api/v1/contacts", { token: configured })).status).toBe(401);

    // What boot does on the next deploy, in process…
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    const app = await findAppByPublicKey(process.env.CONVOT_APP_KEY!);
    await expect(ensureConfiguredApiKey(app!.id, configured)).rejects.toThrow(
      /CONVOT_API_KEY was revoked on \d{4}-\d{2}-\d{2}[^;]*; issue a new key/,
    );
    expect((await api("/api/v1/contacts", { token: configured })).status).toBe(401);

    // …and as a server process on the same database: it stops, saying why, and the key stays dead.
    const failure = await startServer({}).then(
      (server) => server.stop().then(() => null),
      (error) => error as { code: number; output: string },
    );
    expect(failure, "the server started with a revoked CONVOT_API_KEY").not.toBeNull();
    expect(failure!.code).not.toBe(0);
    expect(failure!.output).toMatch(/CONVOT_API_KEY was revoked on/);
    expect((await api("/api/v1/contacts", { token: configured })).status).toBe(401);
  });
});
