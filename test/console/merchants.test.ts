import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { deliverWebhook } from "../support/shopify";
import { subscriptionUpdate } from "../support/merchants";

let n = 0;
const unique = (prefix: string) => `${prefix}-${++n}-${Date.now()}`;

/** The Shopify app's own Convot app (merchants) and an operator of its organization. */
async function developerOperator() {
  await request("/");
  const { findAppByPublicKey } = await import("../../app/convot/apps.server");
  const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  const email = `${unique("dev")}@convot.example`;
  await createOperator(app.organizationId, email);
  return { app, cookie: await loginCookie(email) };
}

const get = (path: string, cookie: string) => request(path, { headers: { Cookie: cookie } });

describe("console merchants", () => {
  it("lists merchants with plan, status, install date and last event; filters by plan, status, custom field and text", async () => {
    const { app, cookie } = await developerOperator();
    const pro = `${unique("pro")}.myshopify.com`;
    const churned = `${unique("churned")}.myshopify.com`;
    await subscriptionUpdate(pro, { name: "Plus", status: "ACTIVE", updated_at: "2026-11-01T00:00:00Z" });
    await subscriptionUpdate(pro, { admin_graphql_api_id: "gid://shopify/AppSubscription/2", name: "Pro", status: "ACTIVE", updated_at: "2026-11-05T00:00:00Z" });
    await deliverWebhook("app/uninstalled", { shop: churned });

    const all = await (await get(`/console/apps/${app.id}`, cookie)).text();
    expect(all).toContain(pro);
    expect(all).toContain(churned);
    expect(all).toMatch(/Showing 1–\d+ of \d+/);

    const byPlan = await (await get(`/console/apps/${app.id}?plan=pro`, cookie)).text();
    expect(byPlan).toContain(pro);
    expect(byPlan).not.toContain(churned);
    expect(byPlan).toContain("trial_started"); // Pro's trial, never used: the last event

    const byStatus = await (await get(`/console/apps/${app.id}?status=churned`, cookie)).text();
    expect(byStatus).toContain(churned);
    expect(byStatus).not.toContain(pro);

    const byField = await (await get(`/console/apps/${app.id}?field=${encodeURIComponent("billing_status = active")}`, cookie)).text();
    expect(byField).toContain(pro);
    expect(byField).not.toContain(churned);

    const bySearch = await (await get(`/console/apps/${app.id}?q=${encodeURIComponent(churned.slice(0, 12).toUpperCase())}`, cookie)).text();
    expect(bySearch).toContain(churned);
    expect(bySearch).not.toContain(pro);

    const none = await (await get(`/console/apps/${app.id}?plan=enterprise`, cookie)).text();
    expect(none).toContain("No merchant matches these filters");
  });

  it("shows a merchant's identity, custom data and timeline newest first", async () => {
    const { app, cookie } = await developerOperator();
    const shop = `${unique("detail")}.myshopify.com`;
    await subscriptionUpdate(shop, { name: "Plus", status: "ACTIVE", updated_at: "2026-10-01T00:00:00Z" });
    await subscriptionUpdate(shop, { name: "Plus", status: "FROZEN", updated_at: "2026-10-20T00:00:00Z" });
    const list = await (await get(`/console/apps/${app.id}?q=${shop}`, cookie)).text();
    const href = new RegExp(`href="(/console/apps/${app.id}/merchants/\\d+)"`).exec(list)![1];
    const page = await (await get(href, cookie)).text();
    expect(page).toContain("Verified");
    expect(page).toContain("billing_status");
    expect(page.indexOf("charge_failed")).toBeLessThan(page.indexOf("plan_upgraded"));
    expect(page).toContain("2026-10-20 00:00 UTC");
    expect(page).toContain(`https://admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`);
  });

  it("an operator of another organization gets 404 for this organization's app and merchants", async () => {
    const { app } = await developerOperator();
    const shop = `${unique("private")}.myshopify.com`;
    await deliverWebhook("app/uninstalled", { shop });
    const { createOrganization, createApp } = await import("../../app/convot/apps.server");
    const other = await createOrganization("Rival Org");
    await createApp({ organizationId: other.id, name: "Rival App" });
    const email = `${unique("rival")}@convot.example`;
    await createOperator(other.id, email);
    const cookie = await loginCookie(email);
    expect((await get(`/console/apps/${app.id}`, cookie)).status).toBe(404);
    const { sql } = await import("../support/app").then((m) => m.db());
    const contact = await sql.one<{ id: number }>(`SELECT "id" FROM "Contact" WHERE "externalId" = ?`, [shop]);
    const page = await get(`/console/apps/${app.id}/merchants/${contact!.id}`, cookie);
    expect(page.status).toBe(404);
    expect(await page.text()).not.toContain(shop);
  });
});
