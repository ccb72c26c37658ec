// Accessibility in Chromium: axe-core finds no serious or critical violation on the storefront
// widget (closed and open), the console's pages and the embedded admin's pages, each holding
// real data (a merchant, conversations). Against the server in this process, so Shopify's token
// exchange and Admin API are mocked at the HTTP boundary.
import type { Browser, Page } from "playwright-core";
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, seriousViolations } from "../support/browser";
import { startInProcessServer, APP_BRIDGE_STAND_IN, type InProcessServer } from "../support/in-process-server";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";
import { webhookDelivery } from "../../scripts/lib/shopify-webhook";

// Beyond serious and critical: every page has one main landmark and a level-one heading, which
// screen-reader users jump to first.
const LANDMARKS = ["landmark-one-main", "page-has-heading-one"];

const SHOP = "convot-demo.myshopify.com"; // the shop /preview plays
const OPERATOR = { email: "a11y@convot.example", password: "console password 1" };
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

let server: InProcessServer;
let browser: Browser;
let shopify: ShopifyMock;
let developerAppId: number;

/** Admin GraphQL for the pages below /app: the app's own queries, and billing's check (no plan yet). */
function admin(query: string) {
  if (query.includes("activeSubscriptions") && !query.includes("ConvotReconcile")) {
    return {
      data: {
        currentAppInstallation: { activeSubscriptions: [], oneTimePurchases: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } } },
      },
    };
  }
  return adminApi(SHOP, { embed: true })(query);
}

async function widgetConversation(appKey: string, text: string) {
  const call = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${server.url}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    expect(res.status, `${path}: ${await res.clone().text()}`).toBeLessThan(300);
    return res.json();
  };
  const session = await call("/api/v1/widget/session", { app_id: appKey, host: server.url });
  await call("/api/v1/widget/messages", { content: text }, session.visitor_token);
}

beforeAll(async () => {
  server = await startInProcessServer();
  shopify = mockShopify(SHOP, admin);
  shopify.agent.enableNetConnect(/127\.0\.0\.1/);
  browser = await launchChromium();
  await fetch(`${server.url}/`); // boot: the configured Convot app exists
  const { findAppByPublicKey } = await import("../../app/apps/apps.server");
  const { createOperator } = await import("../../app/console/operators.server");
  const { findStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
  const developerApp = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  developerAppId = developerApp.id;
  await createOperator({ organizationId: developerApp.organizationId, email: OPERATOR.email, password: OPERATOR.password, role: "owner" });
  // A merchant with a history on the console, a conversation in each inbox.
  const installed = await fetch(`${server.url}${await embeddedAdminUrl(SHOP, "/app")}`, { headers: { "User-Agent": DESKTOP_CHROME } });
  expect(installed.status).toBe(200);
  const delivery = webhookDelivery({
    topic: "app_subscriptions/update",
    shop: SHOP,
    secret: API_SECRET_KEY,
    apiVersion: "2026-10",
    payload: {
      app_subscription: {
        admin_graphql_api_id: "gid://shopify/AppSubscription/7",
        name: "Pro",
        status: "ACTIVE",
        created_at: "2026-11-01T10:00:00Z",
        updated_at: "2026-11-01T10:00:00Z",
      },
    },
  });
  expect((await fetch(`${server.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(200);
  await widgetConversation(developerApp.publicKey, "How do I change my plan?");
  await fetch(`${server.url}/preview`); // creates the demo shop's storefront app
  await widgetConversation((await findStorefrontApp(SHOP))!.publicKey, "Do you ship to Canada?");
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await shopify?.restore();
});

async function consolePage(): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${server.url}/console/login`);
  expect.soft(await seriousViolations(page, LANDMARKS), "/console/login").toEqual([]);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console\/apps\/\d+$/);
  return page;
}

/** The admin page as the Shopify admin embeds it, with App Bridge's stand-in. */
async function adminPage(pathname: string): Promise<Page> {
  // Shopify's library answers 410 to bots, and HeadlessChrome's own user agent counts as one.
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_CHROME })).newPage();
  await page.route("https://cdn.shopify.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STAND_IN }));
  await page.goto(`${server.url}${await embeddedAdminUrl(SHOP, pathname)}`, { waitUntil: "load" });
  return page;
}

describe("no serious or critical accessibility violation (axe-core)", () => {
  it("the storefront widget, closed and open", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.url}/preview`, { waitUntil: "load" });
    const launcher = page.locator("#convot-root > button");
    await launcher.waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "closed, before the panel loads").toEqual([]);
    await launcher.hover();
    await page.locator("#convot-root iframe").waitFor({ state: "attached" });
    await page.frameLocator("#convot-root iframe").locator("#convot-input").waitFor({ state: "attached" });
    expect.soft(await seriousViolations(page, LANDMARKS), "closed, the panel loaded").toEqual([]);
    await launcher.click();
    const panel = page.frameLocator("#convot-root iframe");
    await panel.locator("#convot-input").fill("Is the tote waterproof?");
    await panel.locator("#convot-form button[type=submit]").click();
    await panel.locator(".convot-incoming", { hasText: "waterproof" }).waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "open, with a message").toEqual([]);
    await page.context().close();
  }, 60_000);

  it("the storefront widget in a merchant's light accent colour stays readable", async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    await page.goto(`${server.url}/preview?accent_color=${encodeURIComponent("#ffd84d")}&greeting=${encodeURIComponent("Hello there")}`, {
      waitUntil: "load",
    });
    await page.locator("#convot-root > button").click();
    const panel = page.frameLocator("#convot-root iframe");
    await panel.locator("#convot-input").fill("Is the mug dishwasher safe?");
    await panel.locator("#convot-form button[type=submit]").click();
    await panel.locator(".convot-incoming", { hasText: "dishwasher" }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it("the console: login, merchants, a merchant, dashboard, settings, inbox and a conversation", async () => {
    const page = await consolePage();
    const base = `${server.url}/console/apps/${developerAppId}`;
    await page.getByTestId("merchant-link").filter({ hasText: SHOP }).waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "merchants").toEqual([]);

    await page.goto(`${base}?plan=pro`);
    await page.getByTestId("merchant-link").filter({ hasText: SHOP }).click();
    await page.waitForURL(/\/merchants\/\d+$/);
    await page.getByTestId("timeline").waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "merchant").toEqual([]);

    await page.goto(`${base}/dashboard`);
    expect.soft(await seriousViolations(page, LANDMARKS), "dashboard").toEqual([]);

    await page.goto(`${base}/settings`);
    expect.soft(await seriousViolations(page, LANDMARKS), "settings").toEqual([]);

    await page.goto(`${base}/inbox`);
    const row = page.getByTestId("conversation-row").filter({ hasText: "change my plan" });
    await row.waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "inbox").toEqual([]);
    await row.click();
    await page.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
    await page.getByTestId("message").first().waitFor();
    expect.soft(await seriousViolations(page, LANDMARKS), "conversation").toEqual([]);
    await page.context().close();
  }, 120_000);

  it("the embedded admin: home, inbox and a conversation, plans, onboarding", async () => {
    for (const pathname of ["/app", "/app/plans", "/app/onboarding"]) {
      const page = await adminPage(pathname);
      await page.locator("h1, h2").first().waitFor();
      expect.soft(await seriousViolations(page, LANDMARKS), pathname).toEqual([]);
      await page.context().close();
    }
    const inbox = await adminPage("/app/inbox");
    const row = inbox.getByTestId("conversation-row").filter({ hasText: "ship to Canada" });
    await row.waitFor();
    expect.soft(await seriousViolations(inbox, LANDMARKS), "/app/inbox").toEqual([]);
    await row.click();
    await inbox.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/);
    await inbox.getByTestId("message").first().waitFor();
    expect.soft(await seriousViolations(inbox, LANDMARKS), "/app/inbox/:id").toEqual([]);
    await inbox.context().close();
  }, 120_000);
});
