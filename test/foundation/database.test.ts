import { describe, expect, it } from "vitest";
import { ENGINE } from "../support/database";
import { db } from "../support/app";

describe(`database (${ENGINE})`, () => {
  it("is migrated: Prisma and the SQL layer see the same tables", async () => {
    const { prisma, sql, databaseEngine } = await db();
    expect(databaseEngine).toBe(ENGINE);
    await prisma.session.create({
      data: { id: "offline_a.myshopify.com", shop: "a.myshopify.com", state: "s", accessToken: "t", expires: new Date("2030-01-02T03:04:05.678Z") },
    });
    const row = await sql.one<{ shop: string; expires: unknown }>(`SELECT "shop", "expires" FROM "Session" WHERE "id" = ?`, [
      "offline_a.myshopify.com",
    ]);
    expect(row?.shop).toBe("a.myshopify.com");
    expect(new Date(row!.expires as string).toISOString()).toBe("2030-01-02T03:04:05.678Z");
  });

  it("writes dates from the SQL layer that Prisma reads back exactly", async () => {
    const { prisma, sql } = await db();
    const when = new Date("2026-06-07T10:30:00.123Z");
    await sql.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, ["Dates Inc", when]);
    const org = await prisma.organization.findFirst({ where: { name: "Dates Inc" } });
    expect(org?.createdAt.toISOString()).toBe(when.toISOString());
  });

  it("rolls a failed transaction back whole", async () => {
    const { sql } = await db();
    await expect(
      sql.transaction(async (tx) => {
        await tx.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, ["Half Written", new Date()]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await sql.one(`SELECT "id" FROM "Organization" WHERE "name" = ?`, ["Half Written"])).toBeUndefined();
  });

  it("keeps concurrent transactions apart", async () => {
    const { sql } = await db();
    const names = Array.from({ length: 20 }, (_, i) => `Concurrent ${i}`);
    await Promise.all(
      names.map((name, i) =>
        sql
          .transaction(async (tx) => {
            await tx.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, [name, new Date()]);
            await new Promise((resolve) => setTimeout(resolve, 1));
            if (i % 2) throw new Error("odd ones fail");
          })
          .catch(() => {}),
      ),
    );
    const rows = await sql.all<{ name: string }>(`SELECT "name" FROM "Organization" WHERE "name" LIKE 'Concurrent %'`);
    expect(rows.map((r) => r.name).sort()).toEqual(names.filter((_, i) => i % 2 === 0).sort());
  });
});

describe.runIf(ENGINE === "sqlite")("SQLite's write-ahead log under constant writes", () => {
  it("stays bounded: the checkpoint worker makes the log start over instead of growing", { timeout: 120_000 }, async () => {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { openSqlite } = await import("../../app/db/sql.server");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-wal-"));
    const file = path.join(dir, "wal.sqlite");
    const db = openSqlite(file);
    try {
      await db.run(`CREATE TABLE "Blob" ("id" INTEGER PRIMARY KEY, "data" TEXT NOT NULL)`);
      const page = "x".repeat(3000); // about one 4 KB page per row
      await db.transaction(async (tx) => {
        for (let id = 1; id <= 1000; id++) await tx.run(`INSERT INTO "Blob" ("id", "data") VALUES (?, ?)`, [id, page]);
      });
      // 120,000 commits of one changed page each, as fast as one connection can: ~500 MB of log
      // if it never started over. It starts over once past ~32 MB, overshooting by what this
      // rate (~15 times a busy server's) writes while the worker's pass runs: ~100 MB at most.
      let largest = 0;
      for (let i = 0; i < 120_000; i++) {
        await db.transaction((tx) => tx.run(`UPDATE "Blob" SET "data" = ? WHERE "id" = ?`, [`${i}${page}`, 1 + ((i * 7919) % 1000)]));
        // A server's event loop turns between requests; here, every 100 commits.
        if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
        if (i % 1000 === 0) largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
      }
      largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
      expect(largest).toBeLessThan(160 * 1024 * 1024);
    } finally {
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
