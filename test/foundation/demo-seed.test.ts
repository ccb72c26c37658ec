// `npm run demo` seeds its database with scripts/seed-demo.ts, in development mode, after the
// same boot() as the server's (a seed starts no upkeep: it is not an instance of the app).
import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { runScript } from "../support/server";
import { api } from "../support/convot";
import { DEVELOPER_TOKEN, merchant, timeline } from "../support/merchants";

const DEMO_SHOP = "convot-demo.myshopify.com";

async function counts() {
  const { sql } = await db();
  const count = async (table: string) => Number((await sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "${table}"`))!.n);
  return {
    contacts: await count("Contact"),
    facts: await count("MerchantFact"),
    events: await count("ContactEvent"),
    deliveries: await count("WebhookDelivery"),
    conversations: await count("Conversation"),
    messages: await count("Message"),
  };
}

describe("the demo seed (npm run demo)", () => {
  it("seeds the demo shop and 90 days of 30 merchants through the webhook routes, and a second run adds nothing", async () => {
    await request("/"); // this file's database is migrated and booted
    const seeded = [];
    for (const run of [1, 2]) {
      const result = await runScript(["scripts/seed-demo.ts"], { NODE_ENV: "development", DEMO_MODE: "true" });
      expect(result.stderr, `run ${run}`).not.toMatch(/Error/);
      expect(result.stdout, `run ${run}`).toMatch(/demo shop convot-demo\.myshopify\.com/);
      expect(result.code, `run ${run}`).toBe(0);
      seeded.push(await counts());
    }
    expect(seeded[1]).toEqual(seeded[0]);
    expect(seeded[0].contacts).toBeGreaterThanOrEqual(31);
    expect(seeded[0].deliveries).toBeGreaterThanOrEqual(60);
    expect(seeded[0].conversations).toBeGreaterThanOrEqual(3);

    const { prisma } = await db();
    expect(await prisma.session.count({ where: { shop: DEMO_SHOP, isOnline: false } })).toBe(1);
    // The demo shop is an installed, paying merchant with its install on the timeline.
    expect((await merchant(DEMO_SHOP))!.custom_data).toMatchObject({ active: true, plan: "pro", mrr_usd: 19, shopify_domain: DEMO_SHOP });
    expect((await timeline(DEMO_SHOP)).map((e) => e.name)).toEqual(expect.arrayContaining(["shop_installed", "trial_started"]));

    // The console's `plan = pro` filter has several merchants; the history spans the 90 days.
    const pro = await api("/api/v1/contacts?custom_data.plan=pro&per_page=100", { token: DEVELOPER_TOKEN() });
    expect(pro.body.contacts.length).toBeGreaterThanOrEqual(5);
    const { sql } = await db();
    const names = (await sql.all<{ name: string }>(`SELECT DISTINCT "name" FROM "ContactEvent"`)).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "shop_installed",
        "trial_started",
        "plan_upgraded",
        "plan_downgraded",
        "charge_failed",
        "charge_recovered",
        "plan_cancelled",
        "shop_uninstalled",
      ]),
    );
    const reinstalls = await sql.one<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "ContactEvent" WHERE "name" = 'shop_installed' AND "properties" LIKE '%"reinstall":true%'`,
    );
    expect(Number(reinstalls!.n)).toBeGreaterThan(0);
    const span = await sql.one<{ first: unknown }>(`SELECT MIN("occurredAt") AS "first" FROM "ContactEvent" WHERE "name" = 'shop_installed'`);
    const { toDate } = await import("../../app/db/sql.server");
    expect(Date.now() - toDate(span!.first).getTime()).toBeGreaterThan(60 * 86_400_000);
    // Every webhook-made event says which delivery told it: the seed went through the routes.
    const fromWebhooks = await sql.one<{ n: number }>(
      `SELECT COUNT(*) AS "n" FROM "ContactEvent" WHERE "properties" LIKE '%"source":"webhook"%' AND "properties" LIKE '%"shopify_webhook_id"%'`,
    );
    expect(Number(fromWebhooks!.n)).toBeGreaterThan(30);
  }, 120_000); // two runs of the seed, each a process that boots the app
});
