import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";

describe("boot", () => {
  it("creates the configured Convot app and API key", async () => {
    await request("/"); // the server build has booted
    const { sql } = await db();
    const app = await sql.one<{ id: number; identitySecret: string }>(`SELECT "id", "identitySecret" FROM "App" WHERE "publicKey" = ?`, [
      process.env.CONVOT_APP_KEY!,
    ]);
    expect(app?.identitySecret).toBe(process.env.CONVOT_IDENTITY_SECRET);
    const key = await sql.one<{ appId: number; revokedAt: unknown }>(`SELECT "appId", "revokedAt" FROM "ApiKey" WHERE "id" = ?`, [
      "TestConfigured01",
    ]);
    expect(key).toMatchObject({ appId: app!.id, revokedAt: null });
  });

  it("is idempotent and lets the configuration win", async () => {
    const { sql } = await db();
    const { ensureConfiguredApp } = await import("../../app/apps/apps.server");
    const first = await ensureConfiguredApp({ appKey: "app_BootTwice0001", identitySecret: "a".repeat(64) });
    const again = await ensureConfiguredApp({ appKey: "app_BootTwice0001", identitySecret: "b".repeat(64) });
    expect(again.id).toBe(first.id);
    const rows = await sql.all<{ identitySecret: string }>(`SELECT "identitySecret" FROM "App" WHERE "publicKey" = ?`, ["app_BootTwice0001"]);
    expect(rows).toEqual([{ identitySecret: "b".repeat(64) }]);
  });
});
