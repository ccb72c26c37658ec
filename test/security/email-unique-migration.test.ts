// The migration that makes an email-only contact unique per organization merges duplicates that
// concurrent creates left behind (PostgreSQL deployments before it), losing nothing a user sees.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { ENGINE, ROOT } from "../support/database";

const MIGRATION = "20261202060000_contact_email_unique";
const INDEX = "Contact_organizationId_email_without_externalId_key";
const migrationSql = fs.readFileSync(
  path.join(ROOT, "prisma", ENGINE === "postgresql" ? "postgresql/migrations" : "migrations", MIGRATION, "migration.sql"),
  "utf8",
);

type Raw = { exec(text: string): Promise<void>; all(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>; close(): Promise<void> };

async function connect(): Promise<Raw> {
  const url = process.env.DATABASE_URL!;
  if (ENGINE === "sqlite") {
    const db = new Database(url.replace(/^file:/, ""));
    db.pragma("foreign_keys = ON");
    return {
      exec: async (text) => void db.exec(text),
      all: async (text, params = []) => db.prepare(text).all(...(params as never[])) as Record<string, unknown>[],
      close: async () => void db.close(),
    };
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    exec: async (text) => void (await client.query(text)),
    all: async (text, params = []) =>
      (
        await client.query(
          text.replace(/\?/g, (_, i) => `$${text.slice(0, i).split("?").length}`),
          params,
        )
      ).rows,
    close: () => client.end(),
  };
}

describe(`migration ${MIGRATION}`, () => {
  it("merges email-only duplicates into the oldest contact, keeping every event, conversation and custom-data key", async () => {
    const db = await connect();
    try {
      await db.exec(`DROP INDEX "${INDEX}"`); // as before the migration
      const now = new Date().toISOString();
      const ts = ENGINE === "sqlite" ? `'${now}'` : `'${now.replace("T", " ").replace("Z", "")}'`;
      await db.exec(`
        INSERT INTO "Organization" ("id", "name", "createdAt") VALUES (900, 'Dupes', ${ts});
        INSERT INTO "App" ("id", "organizationId", "name", "publicKey", "identitySecret", "createdAt", "updatedAt")
          VALUES (901, 900, 'A', 'app_dupesA0000001', '${"a".repeat(64)}', ${ts}, ${ts}), (902, 900, 'B', 'app_dupesB0000001', '${"b".repeat(64)}', ${ts}, ${ts});
        INSERT INTO "Contact" ("id", "organizationId", "email", "name", "createdAt", "updatedAt") VALUES
          (910, 900, 'twin@example.com', 'Keeper', ${ts}, ${ts}),
          (911, 900, 'twin@example.com', 'Dupe one', ${ts}, ${ts}),
          (912, 900, 'twin@example.com', 'Dupe two', ${ts}, ${ts}),
          (913, 900, 'other@example.com', 'Alone', ${ts}, ${ts});
        INSERT INTO "Contact" ("id", "organizationId", "externalId", "email", "name", "createdAt", "updatedAt") VALUES
          (914, 900, 'u-1', 'twin@example.com', 'Has an id', ${ts}, ${ts});
        INSERT INTO "AppContact" ("id", "appId", "contactId", "createdAt", "updatedAt") VALUES
          (920, 901, 910, ${ts}, ${ts}), (921, 901, 911, ${ts}, ${ts}), (922, 902, 911, ${ts}, ${ts}), (923, 902, 912, ${ts}, ${ts});
        INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt") VALUES
          (920, 901, 'plan', 'pro', 'string', ${ts}), (921, 901, 'plan', 'free', 'string', ${ts}), (921, 901, 'seats', '3', 'number', ${ts}),
          (922, 902, 'tier', 'gold', 'string', ${ts}), (923, 902, 'tier', 'silver', 'string', ${ts}), (923, 902, 'vip', 'true', 'boolean', ${ts});
        INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "createdAt") VALUES
          (901, 920, 'kept', ${ts}, ${ts}), (901, 921, 'from_dupe_one', ${ts}, ${ts}), (902, 923, 'from_dupe_two', ${ts}, ${ts});
        INSERT INTO "Conversation" ("id", "appId", "appContactId", "lastActivityAt", "createdAt") VALUES
          ('00000000-0000-4000-8000-000000000921', 901, 921, ${ts}, ${ts});
      `);

      await db.exec(migrationSql);

      const contacts = await db.all(`SELECT "id", "name" FROM "Contact" WHERE "organizationId" = 900 ORDER BY "id"`);
      expect(contacts.map((c) => Number(c.id))).toEqual([910, 913, 914]);
      const records = await db.all(`SELECT "id", "appId", "contactId" FROM "AppContact" WHERE "appId" IN (901, 902) ORDER BY "appId"`);
      expect(records.map((r) => [Number(r.appId), Number(r.contactId)])).toEqual([
        [901, 910],
        [902, 910],
      ]);
      const [inA, inB] = records.map((r) => Number(r.id));
      const data = async (ac: number) =>
        Object.fromEntries(
          (await db.all(`SELECT "key", "value" FROM "CustomDataValue" WHERE "appContactId" = ?`, [ac])).map((r) => [r.key, r.value]),
        );
      expect(await data(inA)).toEqual({ plan: "pro", seats: "3" }); // the keeper's value wins, new keys join
      expect(Object.keys(await data(inB)).sort()).toEqual(["tier", "vip"]);
      const events = await db.all(`SELECT "name", "appContactId" FROM "ContactEvent" WHERE "appId" IN (901, 902) ORDER BY "name"`);
      expect(events.map((e) => [e.name, Number(e.appContactId)])).toEqual([
        ["from_dupe_one", inA],
        ["from_dupe_two", inB],
        ["kept", inA],
      ]);
      expect((await db.all(`SELECT "appContactId" FROM "Conversation" WHERE "appId" = 901`)).map((c) => Number(c.appContactId))).toEqual([inA]);

      // From now on the database refuses a second email-only contact for that email.
      await expect(
        db.exec(`INSERT INTO "Contact" ("organizationId", "email", "createdAt", "updatedAt") VALUES (900, 'twin@example.com', ${ts}, ${ts})`),
      ).rejects.toThrow(/unique|duplicate/i);
    } finally {
      await db.close();
    }
  });
});
