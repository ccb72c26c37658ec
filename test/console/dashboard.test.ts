import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { deliverWebhook } from "../support/shopify";
import { subscriptionUpdate } from "../support/merchants";

describe("console dashboard", () => {
  it("shows active merchants, plans, installs/uninstalls per day, and the delivery log failures first", async () => {
    await request("/");
    const { findAppByPublicKey } = await import("../../app/convot/apps.server");
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
    const rows = log.split('data-testid="delivery-outcome"').slice(1).map((row) => (row.indexOf(">failed<") !== -1 && (row.indexOf(">processed<") === -1 || row.indexOf(">failed<") < row.indexOf(">processed<")) ? "failed" : "processed"));
    expect(rows[0]).toBe("failed");
    expect(rows).toContain("processed");
    expect(html).toContain("ContactEvent");
  });
});
