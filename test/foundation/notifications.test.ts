// The seam's notify/listen: what one commit tells every instance (ADR 024).
import { describe, expect, it } from "vitest";
import { ENGINE } from "../support/database";
import { db } from "../support/app";

/** Everything `listen` hears, and a way to wait for one channel. */
function recorder(sql: { listen(listener: (channels: string[] | null) => void): () => void }) {
  const heard: (string[] | null)[] = [];
  const waiters: { channel: string | null; resolve: () => void }[] = [];
  const stop = sql.listen((channels) => {
    heard.push(channels);
    for (const waiter of [...waiters]) {
      if (channels === null ? waiter.channel === null : waiter.channel !== null && channels.includes(waiter.channel)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const has = (channel: string) => heard.some((channels) => channels?.includes(channel));
  const next = (channel: string | null, ms = 5_000) =>
    new Promise<void>((resolve, reject) => {
      if (channel !== null && has(channel)) return resolve();
      const timer = setTimeout(() => reject(new Error(`never heard ${channel}`)), ms);
      waiters.push({ channel, resolve: () => (clearTimeout(timer), resolve()) });
    });
  return { heard, has, next, stop };
}

describe(`notify and listen (${ENGINE})`, () => {
  it("a transaction's notifications are heard once it has committed, never when it rolls back", async () => {
    const { sql } = await db();
    await sql.listening();
    const here = recorder(sql);
    let heardInside = true;
    await sql.transaction(async (tx) => {
      await tx.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, ["Notified Inc", new Date()]);
      tx.notify(["test:committed"]);
      heardInside = here.has("test:committed");
    });
    expect(heardInside).toBe(false);
    expect(here.has("test:committed")).toBe(true);

    await expect(
      sql.transaction(async (tx) => {
        tx.notify(["test:rolled-back"]);
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    sql.notify(["test:outside"]);
    expect(here.has("test:outside")).toBe(true);
    expect(here.has("test:rolled-back")).toBe(false);
    here.stop();
  });

  // Two instances of the app: two handles (two pools, two listening connections) on one database.
  it.runIf(ENGINE === "postgresql")("reaches another instance, once, and again after its listening connection was cut", async () => {
    const { sql } = await db();
    const { openSql } = await import("../../app/db/sql.server");
    const { databaseTarget } = await import("../../app/db/target");
    const other = openSql(databaseTarget(process.env.DATABASE_URL));
    try {
      await Promise.all([sql.listening(), other.listening()]);
      const there = recorder(other);
      const here = recorder(sql);
      await sql.transaction(async (tx) => tx.notify(["test:a", "test:b", "test:a"]));
      await there.next("test:b");
      expect(there.heard).toEqual([["test:a", "test:b"]]);
      // Its own notification reaches this instance once (at commit), not a second time by NOTIFY.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(here.heard).toEqual([["test:a", "test:b"]]);

      // A network failure: the listener hears `null` (anything may have changed) once it is back, and then messages again.
      const gap = there.next(null);
      (other as unknown as { dropListeningConnection(): void }).dropListeningConnection();
      await gap;
      await new Promise((resolve) => setTimeout(resolve, 50));
      sql.notify(["test:after-reconnect"]);
      await there.next("test:after-reconnect");

      // Many channels at once are split under PostgreSQL's 8,000-byte payload limit, none lost.
      const many = Array.from({ length: 600 }, (_, i) => `test:many:${i}:${"x".repeat(20)}`);
      sql.notify(many);
      await there.next(many.at(-1)!);
      expect(many.every((channel) => there.has(channel))).toBe(true);
      here.stop();
      there.stop();
    } finally {
      await other.close();
    }
  });
});
