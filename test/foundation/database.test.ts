import { describe, expect, it } from "vitest";
import { ENGINE } from "../support/database";
import { db } from "../support/app";
import type { Statement } from "../../app/db/seam";

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

describe(`one atomic write of several statements (${ENGINE})`, () => {
  const insertOrg = (name: string, createdAt: Date): Statement => ({
    text: `INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`,
    params: [name, createdAt],
  });

  it("stores every value exactly as a bound parameter would: quotes, backslashes, NUL-free unicode, nulls, booleans, numbers, dates", async () => {
    const { sql } = await db();
    const org = (await sql.one<{ id: number }>(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?) RETURNING "id"`, [
      "Literals",
      new Date(),
    ]))!;
    const names = ["it's", "back\\slash \\' quote", "$1 ? $$ -- /* */", "é 漢字 🙂", "  padded  ", "E'\\x41'"];
    const when = new Date("2026-03-04T05:06:07.089Z");
    await sql.atomically([
      ...names.map((name, i) => ({
        text: `INSERT INTO "Contact" ("organizationId", "externalId", "name", "emailTrusted", "phone", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
        params: [org.id, `lit-${i}`, name, i % 2 === 0, null, when, when],
      })),
      { text: `UPDATE "Contact" SET "company" = ? WHERE "externalId" = ? AND "organizationId" = ?`, params: [String(12.5), "lit-0", org.id] },
    ]);
    const rows = await sql.all<{ name: string; emailTrusted: boolean | number; phone: null; company: string | null; updatedAt: Date | string }>(
      `SELECT "name", "emailTrusted", "phone", "company", "updatedAt" FROM "Contact" WHERE "organizationId" = ? ORDER BY "externalId"`,
      [org.id],
    );
    expect(rows.map((r) => r.name)).toEqual(names);
    expect(rows.map((r) => Boolean(r.emailTrusted))).toEqual(names.map((_, i) => i % 2 === 0));
    expect(rows.every((r) => r.phone === null)).toBe(true);
    expect(rows[0].company).toBe("12.5");
    expect(new Date(rows[0].updatedAt).toISOString()).toBe(when.toISOString());
  });

  it("writes all or nothing, and works again at once on every connection after a failure", async () => {
    const { sql } = await db();
    await sql
      .run(
        `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "createdAt", "updatedAt")
      SELECT "id", 'taken', 'app_AtomicTaken00000001', 'x', ?, ? FROM "Organization" LIMIT 1`,
        [new Date(), new Date()],
      )
      .catch(async () => {
        const org = await sql.one<{ id: number }>(`INSERT INTO "Organization" ("name", "createdAt") VALUES ('Atomic', ?) RETURNING "id"`, [
          new Date(),
        ]);
        await sql.run(
          `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "createdAt", "updatedAt") VALUES (?, 'taken', 'app_AtomicTaken00000001', 'x', ?, ?)`,
          [org!.id, new Date(), new Date()],
        );
      });
    const orgId = (await sql.one<{ organizationId: number }>(`SELECT "organizationId" FROM "App" WHERE "publicKey" = 'app_AtomicTaken00000001'`))!
      .organizationId;
    const app = (publicKey: string): Statement => ({
      text: `INSERT INTO "App" ("organizationId", "name", "publicKey", "identitySecret", "createdAt", "updatedAt") VALUES (?, ?, ?, ?, ?, ?)`,
      params: [orgId, "atomic", publicKey, "x", new Date(), new Date()],
    });
    // Fired at once: every pooled connection meets the failure, some while preparing the statements.
    const failures = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => sql.atomically([insertOrg(`Half ${i}`, new Date()), app("app_AtomicTaken00000001")])),
    );
    expect(failures.every((f) => f.status === "rejected")).toBe(true);
    expect(await sql.one(`SELECT "id" FROM "Organization" WHERE "name" LIKE 'Half %'`)).toBeUndefined();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        sql.atomically([insertOrg(`Whole ${i}`, new Date()), app(`app_AtomicWhole0000000${String(i).padStart(2, "0")}`)]),
      ),
    );
    const whole = await sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Organization" WHERE "name" LIKE 'Whole %'`);
    expect(Number(whole!.n)).toBe(12);
  });

  it("gives its connection back when it refuses a write before sending it: more refusals than the pool holds, then a write", async () => {
    const { sql } = await db();
    for (let i = 0; i < 25; i++) {
      await expect(
        sql.atomically([
          insertOrg(`Refused ${i}`, new Date()),
          { text: `UPDATE "Organization" SET "name" = ? WHERE "id" = ?`, params: [Number.NaN, 1] },
        ]),
      ).rejects.toThrow(); // (SQLite binds NaN as NULL: a NOT NULL column refuses it there)
    }
    await sql.atomically([insertOrg("After refusals A", new Date()), insertOrg("After refusals B", new Date())]);
    const written = await sql.all<{ name: string }>(
      `SELECT "name" FROM "Organization" WHERE "name" LIKE 'After refusals %' OR "name" LIKE 'Refused %'`,
    );
    expect(written.map((row) => row.name).sort()).toEqual(["After refusals A", "After refusals B"]);
  });

  it("refuses a statement whose placeholders and values do not match, writing nothing", async () => {
    const { sql } = await db();
    await expect(
      sql.atomically([
        insertOrg("Mismatch A", new Date()),
        { text: `INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, params: ["only one"] },
      ]),
    ).rejects.toThrow(/placeholders|parameters|values|bind/i);
    expect(await sql.one(`SELECT "id" FROM "Organization" WHERE "name" = 'Mismatch A'`)).toBeUndefined();
  });
});

describe.runIf(ENGINE === "postgresql")("PostgreSQL's prepared statements (docs/decisions/043)", () => {
  it("plans a statement once per connection and reuses it", async () => {
    const { sql } = await db();
    const text = `SELECT "id" FROM "Organization" WHERE "name" = ? /* prepared-once */`;
    const prepared = await sql.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.one(text, [`nobody ${i}`]);
      return tx.all<{ name: string }>(
        `SELECT "name" FROM pg_prepared_statements WHERE "statement" LIKE '%prepared-once%' AND "statement" NOT LIKE '%pg_prepared_statements%'`,
      );
    });
    expect(prepared).toHaveLength(1);
  });

  it("keeps answering when a migration changes the columns a prepared statement returns", async () => {
    const { sql } = await db();
    await sql.run(`CREATE TABLE "PlanShape" ("id" INTEGER PRIMARY KEY)`);
    await sql.run(`INSERT INTO "PlanShape" VALUES (1)`);
    const read = () =>
      Promise.all(Array.from({ length: 12 }, () => sql.one<Record<string, unknown>>(`SELECT * FROM "PlanShape" WHERE "id" = ?`, [1])));
    expect((await read())[0]).toEqual({ id: 1 });
    await sql.run(`ALTER TABLE "PlanShape" ADD COLUMN "label" TEXT DEFAULT 'new'`);
    expect(await read()).toEqual(Array.from({ length: 12 }, () => ({ id: 1, label: "new" })));
    await sql.run(`DROP TABLE "PlanShape"`);
  });

  it("does not prepare a statement with a long list of values (each length would hold a plan of its own)", async () => {
    const { sql } = await db();
    const ids = Array.from({ length: 200 }, (_, i) => i + 1);
    const text = `SELECT COUNT(*) AS "n" FROM "Organization" WHERE "id" IN (${ids.map(() => "?").join(", ")}) /* long-list */`;
    const prepared = await sql.transaction(async (tx) => {
      for (let i = 0; i < 3; i++) await tx.one(text, ids);
      return tx.all(
        `SELECT "name" FROM pg_prepared_statements WHERE "statement" LIKE '%long-list */%' AND "statement" NOT LIKE '%pg_prepared_statements%'`,
      );
    });
    expect(prepared).toEqual([]);
  });

  it("runs statements past the named ones' limit unnamed", async () => {
    const { sql } = await db();
    const { MAX_PREPARED_STATEMENTS } = await import("../../app/db/postgres/prepared-statements");
    const distinct = Array.from({ length: MAX_PREPARED_STATEMENTS + 20 }, (_, i) => `SELECT ? + ${i} AS "n"`);
    const answers = await Promise.all(distinct.map((text) => sql.one<{ n: number }>(text, [1])));
    expect(answers.map((a) => Number(a!.n))).toEqual(distinct.map((_, i) => i + 1));
    const org = await sql.one<{ id: number }>(`INSERT INTO "Organization" ("name", "createdAt") VALUES ('Past limit', ?) RETURNING "id"`, [
      new Date(),
    ]);
    // Two statements a call, each text new: the last calls' statements are past the limit.
    for (let i = 0; i < MAX_PREPARED_STATEMENTS / 2 + 10; i++) {
      await sql.atomically([
        { text: `UPDATE "Organization" SET "name" = ? WHERE "id" = ? /* ${i} */`, params: [`Past limit ${i}`, org!.id] },
        { text: `UPDATE "Organization" SET "name" = "name" || ? WHERE "id" = ? /* ${i} */`, params: ["!", org!.id] },
      ]);
    }
    expect((await sql.one<{ name: string }>(`SELECT "name" FROM "Organization" WHERE "id" = ?`, [org!.id]))!.name).toBe(
      `Past limit ${MAX_PREPARED_STATEMENTS / 2 + 9}!`,
    );
  });
});

describe.runIf(ENGINE === "sqlite")("SQLite's shared commits (docs/decisions/008)", () => {
  async function scratch() {
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const { default: Database } = await import("better-sqlite3");
    const { openSqlite } = await import("../../app/db/sql.server");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-batch-"));
    const file = path.join(dir, "batch.sqlite");
    const db = openSqlite(file);
    await db.run(`CREATE TABLE "Parent" ("id" INTEGER PRIMARY KEY)`);
    await db.run(`CREATE TABLE "Child" ("id" INTEGER PRIMARY KEY, "parentId" INTEGER NOT NULL REFERENCES "Parent" ("id"))`);
    await db.run(`INSERT INTO "Parent" ("id") VALUES (1)`);
    // Another process's view of the file: what has really been committed.
    const other = new Database(file, { readonly: true });
    const done = async () => {
      other.close();
      await db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    };
    return { db, other, done };
  }
  type Scratch = Awaited<ReturnType<typeof scratch>>;
  /** Runs a test on a scratch database, removed afterwards. */
  async function withScratch(test: (opened: Scratch) => Promise<void>) {
    const opened = await scratch();
    try {
      await test(opened);
    } finally {
      await opened.done();
    }
  }

  it("reports a write done only once it is committed, and undoes only the unit that failed", async () => {
    await withScratch(async ({ db, other }) => {
      const committedWhenDone: number[] = [];
      const units = [1, 2, 3].map((id) =>
        db
          .transaction(async (tx) => {
            await tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (?, 1)`, [id]);
            if (id === 2) throw new Error("unit 2 fails");
            return id;
          })
          .then((id) => {
            committedWhenDone.push(other.prepare(`SELECT count(*) AS n FROM "Child" WHERE "id" = ?`).get(id) as never);
            return id;
          }),
      );
      const outcomes = await Promise.allSettled(units);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      // Each caller that heard "done" could already read its row from another connection.
      expect(committedWhenDone).toEqual([{ n: 1 }, { n: 1 }]);
      expect(other.prepare(`SELECT "id" FROM "Child" ORDER BY "id"`).all()).toEqual([{ id: 1 }, { id: 3 }]);
    });
  });

  it("writes outside a transaction share the turn's commit too: each is done once committed; a failing one fails alone", async () => {
    await withScratch(async ({ db, other }) => {
      const count = () => (other.prepare(`SELECT count(*) AS n FROM "Child"`).get() as { n: number }).n;
      const writes = [1, 2, 3].map((id) =>
        db.run(`INSERT INTO "Child" ("id", "parentId") VALUES (?, ?)`, [id, id === 2 ? 99 : 1]).then(() => count()),
      );
      // Several microtask turns later the writes have run, but nothing is committed: one commit
      // at the end of the turn takes them all (each used to commit on its own).
      for (let i = 0; i < 10; i++) await Promise.resolve();
      expect(count()).toBe(0);
      const outcomes = await Promise.allSettled(writes);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect(String((outcomes[1] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      // Each caller that heard "done" could already read its row from another connection.
      expect(outcomes.filter((o) => o.status === "fulfilled").map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([2, 2]);
      expect(other.prepare(`SELECT "id" FROM "Child" ORDER BY "id"`).all()).toEqual([{ id: 1 }, { id: 3 }]);
    });
  });

  it("answers a read outside a transaction at once, from what is committed, while a batch is open", async () => {
    await withScratch(async ({ db }) => {
      const unit = db.transaction((tx) => tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (1, 1)`));
      // Same turn: the unit has written but not committed. The read does not wait for the
      // commit and does not see a row the commit might still lose.
      let answered = false;
      const during = db.one<{ n: number }>(`SELECT count(*) AS "n" FROM "Child"`).then((row) => ((answered = true), row));
      await Promise.resolve();
      await Promise.resolve();
      expect(answered).toBe(true);
      expect(await during).toEqual({ n: 0 });
      await unit;
      expect(await db.one(`SELECT count(*) AS "n" FROM "Child"`)).toEqual({ n: 1 });
      // A write that returns rows, outside a transaction, still goes to the writer; so does a
      // PRAGMA (the read-only connection would answer for itself: foreign keys off).
      expect(await db.one(`INSERT INTO "Child" ("id", "parentId") VALUES (2, 1) RETURNING "id"`)).toEqual({ id: 2 });
      expect(await db.one(`PRAGMA foreign_keys`)).toEqual({ foreign_keys: 1 });
    });
  });

  it("fails every unit of a commit that fails: nobody hears 'done' for a write that was lost", async () => {
    await withScratch(async ({ db, other }) => {
      // Unit 2 defers its foreign-key check to the commit, where it fails for the whole batch.
      const units = [1, 2, 3].map((id) =>
        db.transaction(async (tx) => {
          if (id === 2) await tx.run(`PRAGMA defer_foreign_keys = ON`);
          await tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (?, ?)`, [id, id === 2 ? 999 : 1]);
        }),
      );
      const outcomes = await Promise.allSettled(units);
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "rejected"]);
      expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
      expect(other.prepare(`SELECT count(*) AS n FROM "Child"`).get()).toEqual({ n: 0 });
      // The connection is usable again.
      await db.transaction((tx) => tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (4, 1)`));
      expect(other.prepare(`SELECT "id" FROM "Child"`).all()).toEqual([{ id: 4 }]);
    });
  });

  it("fails the batch a statement's error ended, and commits the next unit on its own", async () => {
    await withScratch(async ({ db, other }) => {
      const a = db.transaction((tx) => tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (1, 1)`));
      // An error that makes SQLite roll the whole transaction back (as an I/O error or a full
      // disk would), from a statement outside any unit, while the batch is open.
      const root = db.run(`INSERT OR ROLLBACK INTO "Parent" ("id") VALUES (1)`);
      const c = db.transaction((tx) => tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (3, 1)`));
      const outcomes = await Promise.allSettled([a, root, c]);
      // a's write was lost with the transaction, so a hears it failed; c is told the truth too.
      expect(outcomes.map((o) => o.status)).toEqual(["rejected", "rejected", "fulfilled"]);
      expect(other.prepare(`SELECT "id" FROM "Child"`).all()).toEqual([{ id: 3 }]);
    });
  });

  it("commits the work already started before it closes", async () => {
    await withScratch(async ({ db, other }) => {
      const slow = (ids: number[]) =>
        db.transaction(async (tx) => {
          for (const id of ids) {
            await tx.run(`INSERT INTO "Child" ("id", "parentId") VALUES (?, 1)`, [id]);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        });
      const units = [slow([1]), slow([2, 3])];
      await db.close();
      expect((await Promise.allSettled(units)).map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
      expect(other.prepare(`SELECT "id" FROM "Child" ORDER BY "id"`).all()).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
    });
  });
});

describe.runIf(ENGINE === "sqlite")("SQLite's write-ahead log under constant writes", () => {
  it("runs its checkpoint worker under tsx too (the CLI and the benches load the source that way)", { timeout: 60_000 }, async () => {
    const { spawnSync } = await import("node:child_process");
    const fs = await import("node:fs");
    const os = await import("node:os");
    const path = await import("node:path");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-worker-"));
    const script = path.join(dir, "open.mts");
    // A worker that fails at start logs "[sqlite] checkpoint worker failed"; one that runs
    // checkpoints the log back to the start between writes.
    fs.writeFileSync(
      script,
      `import { openSqlite } from ${JSON.stringify(path.resolve("app/db/sql.server.ts"))};
const db = openSqlite(${JSON.stringify(path.join(dir, "w.sqlite"))});
await db.run('CREATE TABLE "T" ("id" INTEGER PRIMARY KEY, "v" TEXT)');
for (let i = 0; i < 300; i++) await db.run('INSERT INTO "T" ("v") VALUES (?)', ["x".repeat(3000)]);
await new Promise((resolve) => setTimeout(resolve, 400));
await db.close();
console.log("closed");`,
    );
    try {
      const run = spawnSync(path.resolve("node_modules/.bin/tsx"), [script], { encoding: "utf8" });
      expect(run.stderr).not.toContain("checkpoint worker failed");
      expect(run.stdout).toContain("closed");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

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
