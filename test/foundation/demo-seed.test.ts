// `npm run demo` seeds its database with scripts/seed-demo.ts, in development mode, after the
// same boot() as the server's (a seed starts no upkeep: it is not an instance of the app).
import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { runScript } from "../support/server";

describe("the demo seed (npm run demo)", () => {
  it("seeds the demo shop's session after boot's writes, and can run again", async () => {
    await request("/"); // this file's database is migrated and booted
    for (const run of [1, 2]) {
      const result = await runScript(["scripts/seed-demo.ts"], { NODE_ENV: "development", DEMO_MODE: "true" });
      expect(result.stderr, `run ${run}`).not.toMatch(/Error/);
      expect(result.stdout, `run ${run}`).toMatch(/demo shop convot-demo\.myshopify\.com/);
      expect(result.code, `run ${run}`).toBe(0);
    }
    const { prisma } = await db();
    expect(await prisma.session.count({ where: { shop: "convot-demo.myshopify.com", isOnline: false } })).toBe(1);
  });
});
