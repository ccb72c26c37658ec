// The dashboard's figures for a few merchants whose histories are known, as an operator reads
// them: standings, trial conversion, logo churn, MRR movements, and the merchants behind each
// figure one click away; another app without merchants gets a readable empty state.
import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { ENGINE } from "../support/database";
import { subscriptionUpdate } from "../support/merchants";
import { deliverWebhook } from "../support/shopify";
import { fixturePayload, fixtureShopId } from "../../scripts/lib/shopify-webhook";

const DAY = 86_400_000;
const ago = (days: number) => Date.now() - days * DAY;

async function install(shop: string, at: number) {
  const { recordInstall } = await import("../../app/shopify/install.server");
  const details = {
    domain: shop,
    shopId: fixtureShopId(shop),
    name: shop,
    email: null,
    ownerName: null,
    planName: null,
    planDisplayName: "Basic",
    currency: null,
    timezone: null,
    primaryDomain: null,
    sourceUpdatedAt: new Date(at),
  };
  await recordInstall(shop, details, new Date(at));
}

async function subscription(shop: string, id: string, name: "Pro" | "Plus", status: string, at: number, createdAt = at) {
  const res = await subscriptionUpdate(
    shop,
    {
      admin_graphql_api_id: id,
      admin_graphql_api_shop_id: `gid://shopify/Shop/${fixtureShopId(shop)}`,
      name,
      status,
      price: name === "Pro" ? "19.00" : "49.00",
      created_at: new Date(createdAt).toISOString(),
      updated_at: new Date(at).toISOString(),
    },
    { triggeredAt: new Date(at) },
  );
  expect(res.status).toBe(200);
}

const figure = (html: string, testId: string) => new RegExp(`data-testid="${testId}"[^>]*>([^<]*)<`).exec(html)?.[1];

describe("dashboard figures", () => {
  it("counts merchants by standing, trials converted, logo churn and MRR movements, each linked to its merchants", async () => {
    await request("/");
    const { findAppByPublicKey, createApp } = await import("../../app/apps/apps.server");
    const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    const email = `figures-${ENGINE}-${Date.now()}@convot.example`;
    await createOperator(app.organizationId, email);
    const cookie = await loginCookie(email);
    const run = `${ENGINE}-${Date.now()}`;
    const shop = (name: string) => `${name}-${run}.myshopify.com`;

    // Paying: a Pro trial 40 days ago that converted.
    await install(shop("paying"), ago(40));
    await subscription(shop("paying"), "gid://shopify/AppSubscription/1", "Pro", "ACTIVE", ago(39));
    // Trialing: Pro approved 3 days ago.
    await install(shop("trialing"), ago(4));
    await subscription(shop("trialing"), "gid://shopify/AppSubscription/2", "Pro", "ACTIVE", ago(3));
    // Frozen: Plus (no trial) 30 days ago, its charge frozen 2 days ago.
    await install(shop("frozen"), ago(31));
    await subscription(shop("frozen"), "gid://shopify/AppSubscription/3", "Plus", "ACTIVE", ago(30));
    await subscription(shop("frozen"), "gid://shopify/AppSubscription/3", "Plus", "FROZEN", ago(2), ago(30));
    // Churned: a Pro trial cancelled within it, then the app uninstalled (Shopify's cancellation first).
    await install(shop("churned"), ago(35));
    await subscription(shop("churned"), "gid://shopify/AppSubscription/4", "Pro", "ACTIVE", ago(34));
    await subscription(shop("churned"), "gid://shopify/AppSubscription/4", "Pro", "CANCELLED", ago(28), ago(34));
    const uninstalledAt = ago(28) + 60_000;
    const payload = { ...(fixturePayload("app/uninstalled", shop("churned")) as object), updated_at: new Date(uninstalledAt).toISOString() };
    expect((await deliverWebhook("app/uninstalled", { shop: shop("churned"), payload, triggeredAt: new Date(uninstalledAt) })).status).toBe(200);

    const base = `/console/apps/${app.id}/dashboard`;
    const page = async (query = "") => (await request(`${base}${query}`, { headers: { Cookie: cookie } })).text();
    const html = await page();
    expect(figure(html, "mrr-now")).toBe("$87"); // 19 (paying) + 19 (in trial) + 49 (frozen) + 0 (churned)
    expect(figure(html, "standing-active")).toBe("3");
    expect(figure(html, "standing-trialing")).toBe("1");
    expect(figure(html, "standing-frozen")).toBe("1");
    expect(figure(html, "standing-churned")).toBe("1");
    expect(figure(html, "trial-conversion")).toBe("50 %"); // paying's converted, churned's did not
    expect(html).toMatch(/<svg[^>]*aria-label="MRR per day"/);
    expect(html).toMatch(/<title>[A-Z][a-z]{2} \d{1,2}: MRR \$\d/); // a tooltip per day, with its date
    const churnMonth = new Date(uninstalledAt).toISOString().slice(0, 7);
    expect(html).toContain(`?merchants=logo-churn%3A${churnMonth}#merchants`);
    expect(html).toContain(`?merchants=churned%3A${churnMonth}#merchants`);

    // One click away: the merchants behind a figure, each linked to its merchant page.
    const listed = async (key: string) => {
      const list = await page(`?merchants=${encodeURIComponent(key)}`);
      const section = list.slice(list.indexOf('id="merchants"'));
      expect(section.length).toBeLessThan(list.length);
      return [...section.matchAll(/href="\/console\/apps\/\d+\/merchants\/\d+">([^<]+)</g)].map((m) => m[1]).sort();
    };
    expect(await listed("trialing")).toEqual([shop("trialing")]);
    expect(await listed("frozen")).toEqual([shop("frozen")]);
    expect(await listed("churned")).toEqual([shop("churned")]);
    expect(await listed("trial-converted")).toEqual([shop("paying")]);
    expect(await listed("trial-lost")).toEqual([shop("churned")]);
    expect(await listed(`logo-churn:${churnMonth}`)).toEqual([shop("churned")]);
    expect(await listed("mrr")).toEqual([shop("frozen"), shop("paying"), shop("trialing")].sort());
    // A key that names no figure lists nothing (and breaks nothing).
    expect(await page(`?merchants=${encodeURIComponent("paying' OR 1=1 --")}`)).not.toContain('id="merchants"');

    // Another app of the organization, with no merchant: a sentence, not empty charts.
    const other = await createApp({ organizationId: app.organizationId, name: `Empty ${run}` });
    const empty = await (await request(`/console/apps/${other.id}/dashboard`, { headers: { Cookie: cookie } })).text();
    expect(empty).toContain("No merchant yet");
    expect(empty).not.toContain('aria-label="MRR per day"');
    expect(figure(empty, "mrr-now")).toBe("$0");
  });
});
