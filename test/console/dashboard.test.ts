import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { deliverWebhook } from "../support/shopify";
import { subscriptionUpdate } from "../support/merchants";

describe("console dashboard", () => {
  it("shows active merchants, plans, installs/uninstalls per day, and the delivery log failures first", async () => {
    await request("/");
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    const email = `dash-${Date.now()}@convot.example`;
    await createOperator(app.organizationId, email);
    const cookie = await loginCookie(email);

    const shop = `dash-${Date.now()}.myshopify.com`;
    await subscriptionUpdate(shop, { name: "Plus", status: "ACTIVE", updated_at: new Date().toISOString() });
    await deliverWebhook("app/uninstalled", { shop: `gone-${Date.now()}.myshopify.com`, triggeredAt: new Date() });
    const { sql } = await db();
    await sql.run(`ALTER TABLE "ContactEvent" RENAME TO "ContactEventAway"`);
    try {
      expect((await deliverWebhook("app/uninstalled", { shop: `broken-${Date.now()}.myshopify.com`, webhookId: randomUUID() })).status).toBe(500);
    } finally {
      await sql.run(`ALTER TABLE "ContactEventAway" RENAME TO "ContactEvent"`);
    }

    const html = await (await request(`/console/apps/${app.id}/dashboard`, { headers: { Cookie: cookie } })).text();
    expect(html).toContain("Installs and uninstalls per day");
    expect(html).toMatch(/<svg[^>]*aria-label="Installs and uninstalls per day"/);
    expect(html).toMatch(/uninstalls<\/text>/);
    expect(html).toMatch(/>plus<\/a>/);
    const log = html.slice(html.indexOf("Webhook deliveries (failures first)"));
    const rows = log
      .split('data-testid="delivery-outcome"')
      .slice(1)
      .map((row) =>
        row.indexOf(">failed<") !== -1 && (row.indexOf(">processed<") === -1 || row.indexOf(">failed<") < row.indexOf(">processed<"))
          ? "failed"
          : "processed",
      );
    expect(rows[0]).toBe("failed");
    expect(rows).toContain("processed");
    expect(html).toContain("ContactEvent");
  });

  it("shows each upkeep job's last run and outcome: of two instances claiming a slot one runs it, a failure is retried, then recorded with its error", async () => {
    await request("/");
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    const { runJobSlot } = await import("../../app/jobs/scheduler.server");
    const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    const email = `jobs-${Date.now()}@convot.example`;
    await createOperator(app.organizationId, email);
    const cookie = await loginCookie(email);

    let sweeps = 0;
    const sweep = { name: "test-sweep", everyMs: 3_600_000, run: async () => void (sweeps++, await new Promise((r) => setTimeout(r, 20))) };
    const now = new Date();
    const both = await Promise.all([runJobSlot(sweep, { now }), runJobSlot(sweep, { now })]);
    expect(both.filter((outcome) => outcome !== null)).toEqual(["succeeded"]);
    expect(sweeps).toBe(1);
    expect(await runJobSlot(sweep, { now })).toBeNull(); // the slot is done
    expect(await runJobSlot(sweep, { now: new Date(now.getTime() + 3_600_000) })).toBe("succeeded");
    expect(sweeps).toBe(2);

    let tries = 0;
    const flaky = {
      name: "test-flaky",
      everyMs: 3_600_000,
      run: async () =>
        void (
          ++tries < 3 &&
          (() => {
            throw new Error("database busy");
          })()
        ),
    };
    expect(await runJobSlot(flaky, { now, retryMs: [1, 1] })).toBe("succeeded");
    expect(tries).toBe(3);
    const broken = { name: "test-broken", everyMs: 3_600_000, run: async () => Promise.reject(new Error("Shopify is unreachable")) };
    expect(await runJobSlot(broken, { now, retryMs: [1, 1] })).toBe("failed");

    const html = await (await request(`/console/apps/${app.id}/dashboard`, { headers: { Cookie: cookie } })).text();
    const table = html.slice(html.indexOf("Upkeep jobs: last run, outcome"));
    expect(table.length).toBeLessThan(html.length);
    const rows = table
      .split('data-testid="job-name">')
      .slice(1)
      .map((row) => ({
        name: row.slice(0, row.indexOf("<")),
        outcome: /data-testid="job-outcome">[\s\S]*?>(succeeded|failed|running|interrupted)</.exec(row)?.[1],
        error: row.slice(0, row.indexOf("</tr>")).includes("Shopify is unreachable"),
      }));
    expect(rows).toEqual([
      { name: "test-broken", outcome: "failed", error: true },
      { name: "test-flaky", outcome: "succeeded", error: false },
      { name: "test-sweep", outcome: "succeeded", error: false },
    ]);
    // Another app of the organization is not this deployment: no upkeep there.
    const { createApp } = await import("../../app/apps/apps.server");
    const other = await createApp({ organizationId: app.organizationId, name: "Another app" });
    const otherHtml = await (await request(`/console/apps/${other.id}/dashboard`, { headers: { Cookie: cookie } })).text();
    expect(otherHtml).not.toContain("Upkeep jobs");
  });
});
