// The widget's rate limits are one allowance per client and per app, whichever instance
// answers: counted in the database on PostgreSQL (docs/decisions/021).
import { RateLimiterRes } from "rate-limiter-flexible";
import { afterAll, describe, expect, it } from "vitest";
import { LeasedAllowance } from "../../app/http/allowance-leases";
import { db } from "../support/app";
import { ENGINE } from "../support/database";
import { startServer, type RunningServer } from "../support/server";
import { createTestApp } from "../support/convot";
import { widgetPost, widgetSession } from "../support/conversations";

describe(`shared widget rate limits (${ENGINE})`, () => {
  it("a client over its allowance is told to come back when its window ends", async () => {
    const app = await createTestApp();
    const token = (await widgetSession(app)).body.visitor_token as string;
    const from = { "x-convot-peer": "192.0.2.40" };
    for (let i = 0; i < 20; i++) expect((await widgetPost(token, { content: `hello ${i}` }, from)).status).toBe(201);
    const refused = await widgetPost(token, { content: "one more" }, from);
    expect(refused.status).toBe(429);
    // 20 messages per 40 s: the window that just began has most of its 40 s left.
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(20);
    expect(retryAfter).toBeLessThanOrEqual(40);
    // Refused again, from the same window (on PostgreSQL, from this instance's memory).
    expect((await widgetPost(token, { content: "and another" }, from)).status).toBe(429);
  });

  /** How many of the consumes got through (a refusal is a RateLimiterRes; anything else fails the test). */
  async function granted(promises: Promise<unknown>[]) {
    const outcomes = await Promise.allSettled(promises);
    for (const outcome of outcomes) if (outcome.status === "rejected" && !(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
    return outcomes.filter((outcome) => outcome.status === "fulfilled").length;
  }
  const appWindow = { points: 100, duration: 60, blockDuration: 0, blockInMemory: true };

  it("an app's allowance handed out in leases grants exactly its points to 300 concurrent requests", async () => {
    const { sql } = await db();
    const allowance = new LeasedAllowance(sql.rateLimiter({ name: "lease-test-one", ...appWindow }), 7);
    expect(await granted(Array.from({ length: 300 }, () => allowance.consume("app_one")))).toBe(100);
    await expect(allowance.consume("app_one")).rejects.toBeInstanceOf(RateLimiterRes);
    expect(await granted([allowance.consume("app_two")])).toBe(1);
  });

  describe.runIf(ENGINE === "postgresql")("two instances on one database", () => {
    it("share an app's leased allowance: exactly its points between them", async () => {
      const { sql } = await db();
      const { openSql } = await import("../../app/db/sql.server");
      const { databaseTarget } = await import("../../app/db/target");
      const other = openSql(databaseTarget(process.env.DATABASE_URL));
      try {
        const instances = [sql, other].map((seam) => new LeasedAllowance(seam.rateLimiter({ name: "lease-test-two", ...appWindow }), 7));
        expect(await granted(Array.from({ length: 300 }, (_, i) => instances[i % 2].consume("app_shared")))).toBe(100);
        await expect(instances[1].consume("app_shared")).rejects.toBeInstanceOf(RateLimiterRes);
      } finally {
        await other.close();
      }
    });

    const servers: RunningServer[] = [];
    afterAll(() => Promise.all(servers.map((server) => server.stop())));

    it("share one client's allowance: 20 messages between them, then 429 from both", async () => {
      // One after the other: both boot against the same database.
      servers.push(await startServer({}));
      servers.push(await startServer({}));
      const [a, b] = servers;
      const session = await fetch(`${a.url}/api/v1/widget/session`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ app_id: process.env.CONVOT_APP_KEY, host: a.url }),
      });
      expect(session.status).toBe(200);
      const { visitor_token: token } = await session.json();
      const post = (server: RunningServer, content: string) =>
        fetch(`${server.url}/api/v1/widget/messages`, {
          method: "POST",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
          body: JSON.stringify({ content }),
        }).then((res) => res.status);
      // Both see this test's requests from 127.0.0.1: alternating, each instance alone would allow 20.
      const statuses: number[] = [];
      for (let i = 0; i < 24; i++) statuses.push(await post(servers[i % 2], `message ${i}`));
      expect(statuses.slice(0, 20).every((status) => status === 201)).toBe(true);
      expect(statuses.slice(20)).toEqual([429, 429, 429, 429]);
      expect(await post(b, "from the other side")).toBe(429);
    }, 60_000);
  });
});
