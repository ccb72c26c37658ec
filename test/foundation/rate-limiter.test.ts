// The seam's rate limiters: counters every instance sees, each change atomic.
import { RateLimiterRes } from "rate-limiter-flexible";
import { describe, expect, it } from "vitest";
import { ENGINE } from "../support/database";
import { db } from "../support/app";

const limit = { name: "seam-test", points: 5, duration: 60, blockDuration: 60 };

/** How many of the consumes got through (a refusal is a RateLimiterRes; anything else fails the test). */
async function consumed(promises: Promise<unknown>[]) {
  const outcomes = await Promise.allSettled(promises);
  for (const outcome of outcomes) if (outcome.status === "rejected" && !(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
  return outcomes.filter((outcome) => outcome.status === "fulfilled").length;
}

describe(`rate limiters (${ENGINE})`, () => {
  it("lets exactly the limit's points through 40 concurrent consumes, then blocks the key", async () => {
    const { sql } = await db();
    const limiter = sql.rateLimiter(limit);
    expect(await consumed(Array.from({ length: 40 }, () => limiter.consume("one key")))).toBe(limit.points);
    await expect(limiter.consume("one key")).rejects.toMatchObject({ remainingPoints: 0 });
    expect(await consumed([limiter.consume("another key")])).toBe(1);
  });

  // Two instances of the app: two handles (two connection pools) on one database.
  it.runIf(ENGINE === "postgresql")("shares the counters between two instances on one PostgreSQL database", async () => {
    const { sql } = await db();
    const { openSql } = await import("../../app/db/sql.server");
    const { databaseTarget } = await import("../../app/db/target");
    const other = openSql(databaseTarget(process.env.DATABASE_URL));
    try {
      const limiters = [sql.rateLimiter(limit), other.rateLimiter(limit)];
      const tries = Array.from({ length: 40 }, (_, i) => limiters[i % 2].consume("shared key"));
      expect(await consumed(tries)).toBe(limit.points);
      await expect(limiters[1].consume("shared key")).rejects.toMatchObject({ remainingPoints: 0 });
    } finally {
      await other.close();
    }
  });
  // ADR 042: a counter lost in a crash costs a few requests' allowance; a flush per widget call cost a disk wait.
  it.runIf(ENGINE === "postgresql")("commits its counters without waiting for the disk, and nothing else does", async () => {
    const { sql } = await db();
    const limiter = sql.rateLimiter({ ...limit, name: "seam-test-commit" });
    await limiter.consume("durability");
    // The library's store client is the limiters' own pool.
    const counters = (limiter as unknown as { client: { query(text: string): Promise<{ rows: { synchronous_commit: string }[] }> } }).client;
    expect((await counters.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("off");
    expect((await sql.one<{ synchronous_commit: string }>("SHOW synchronous_commit"))!.synchronous_commit).toBe("on");
  });
});
