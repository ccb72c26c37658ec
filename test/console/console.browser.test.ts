import path from "node:path";
import type { Browser } from "playwright-core";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchChromium } from "../support/browser";
import { runScript, startServer, type RunningServer } from "../support/server";
import { webhookDelivery } from "../../scripts/lib/shopify-webhook";

let server: RunningServer;
let browser: Browser;
const shop = `browser-pro-${Date.now()}.myshopify.com`;
const email = `owner-${Date.now()}@convot.example`;

async function post(topic: string, payload: unknown) {
  const delivery = webhookDelivery({ topic, shop, secret: API_SECRET_KEY, apiVersion: "2026-10", payload });
  const res = await fetch(`${server.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body });
  expect(res.status).toBe(200);
}

beforeAll(async () => {
  server = await startServer({});
  browser = await launchChromium();
  const created = await runScript([
    "scripts/convot.ts",
    "operator",
    "create",
    "--email",
    email,
    "--password",
    "console password 1",
    "--role",
    "owner",
  ]);
  expect(created.code).toBe(0);
  // A merchant on Pro with a history: upgraded to Plus, then moved to Pro (its trial), then a failed charge.
  await post("app_subscriptions/update", {
    app_subscription: { admin_graphql_api_id: "gid://shopify/AppSubscription/1", name: "Plus", status: "ACTIVE", updated_at: "2026-09-01T10:00:00Z" },
  });
  await post("app_subscriptions/update", {
    app_subscription: {
      admin_graphql_api_id: "gid://shopify/AppSubscription/2",
      name: "Pro",
      status: "ACTIVE",
      created_at: "2026-10-01T10:00:00Z",
      updated_at: "2026-10-01T10:00:00Z",
    },
  });
  await post("app_subscriptions/update", {
    app_subscription: { admin_graphql_api_id: "gid://shopify/AppSubscription/2", name: "Pro", status: "FROZEN", updated_at: "2026-11-02T10:00:00Z" },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the console in Chromium", () => {
  it("logs in, filters to plan = pro, opens the merchant and reads custom data and the timeline in order", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/console`);
    expect(new URL(page.url()).pathname).toBe("/console/login");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill("console password 1");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/console\/apps\/\d+$/);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-merchants.png"), fullPage: true });

    await page.getByLabel("Plan").selectOption("pro");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/plan=pro/);
    const rows = page.getByTestId("merchant-link");
    await expect(rows.filter({ hasText: shop }).count()).resolves.toBe(1);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-filter-pro.png"), fullPage: true });

    await rows.filter({ hasText: shop }).click();
    await page.waitForURL(/\/merchants\/\d+$/);
    const customData = await page.getByTestId("custom-data").innerText();
    expect(customData).toContain("plan");
    expect(customData).toContain("pro");
    expect(customData).toContain("billing_status");
    const timeline = await page.getByTestId("timeline").locator("li").allInnerTexts();
    expect(timeline.map((t) => t.split("\n")[0].trim())).toEqual(["charge_failed", "trial_started", "plan_upgraded"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "console-merchant.png"), fullPage: true });

    await page.goto(page.url().replace(/\/merchants\/\d+$/, "/dashboard"));
    await page.getByRole("img", { name: "Installs and uninstalls per day" }).waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "console-dashboard.png"), fullPage: true });
    await page.close();
  });
});
