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
