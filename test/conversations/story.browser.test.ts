// The whole conversation story in Chromium, against the production HTTP server running in this process (so
// Shopify's token exchange and Admin API are mocked at the HTTP boundary):
// a merchant writes from the embedded admin's widget → an operator answers from the console;
// a shopper writes from the storefront (/preview) → the merchant answers from the admin Inbox.
import fs from "node:fs";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, launchChromium } from "../support/browser";
import { startInProcessServer, APP_BRIDGE_STAND_IN, type InProcessServer } from "../support/in-process-server";
import { adminApi, embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";

const SHOP = "convot-demo.myshopify.com"; // the shop /preview plays
const OPERATOR = { email: "support@convot.example", password: "console password 1" };
const DESKTOP_CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";
const XSS = `<img src=x onerror="window.__xss=1"><script>window.__xss=1</script>`;

let server: InProcessServer;
let browser: Browser;
let shopify: ShopifyMock;
let developerAppId: number;
const latencies: Record<string, number[]> = {};

beforeAll(async () => {
  server = await startInProcessServer();
  shopify = mockShopify(SHOP, adminApi(SHOP, { embed: true }));
  shopify.agent.enableNetConnect(/127\.0\.0\.1/);
  browser = await launchChromium();
  await fetch(`${server.url}/`); // boot: the configured Convot app exists
  const { findAppByPublicKey } = await import("../../app/apps/apps.server");
  const { createOperator } = await import("../../app/console/operators.server");
  const developerApp = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  developerAppId = developerApp.id;
  await createOperator({ organizationId: developerApp.organizationId, email: OPERATOR.email, password: OPERATOR.password, role: "agent" });
}, 60_000);

afterAll(async () => {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  fs.writeFileSync(path.join(ARTIFACTS, "message-latency.json"), JSON.stringify(latencies, null, 2));
  for (const [name, values] of Object.entries(latencies)) console.log(`[latency] ${name}: median ${median(values)} ms of ${JSON.stringify(values)}`);
  await browser?.close();
  await server?.stop();
  await shopify?.restore();
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** The admin page as the Shopify admin embeds it, with App Bridge's stand-in. */
async function openAdmin(pathname: string): Promise<Page> {
  // Shopify's library answers 410 to bots, and HeadlessChrome's own user agent counts as one.
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, userAgent: DESKTOP_CHROME });
  await page.route("https://cdn.shopify.com/**", (route) => route.fulfill({ contentType: "text/javascript", body: APP_BRIDGE_STAND_IN }));
  await page.goto(`${server.url}${await embeddedAdminUrl(SHOP, pathname)}`);
  return page;
}

async function openWidget(page: Page): Promise<Frame> {
  await page.locator("#convot-root button[aria-label]").click();
  const handle = await page.waitForSelector("#convot-root iframe");
  const frame = (await handle.contentFrame())!;
  await frame.waitForSelector("#convot-input");
  return frame;
}

async function widgetSend(frame: Frame, text: string) {
  const before = await frame.locator(".convot-incoming").count();
  await frame.fill("#convot-input", text);
  await frame.click("#convot-form button[type=submit]");
  await frame.locator(".convot-incoming").nth(before).waitFor();
}

async function consoleLogin(): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.url}/console/login`);
  await page.getByLabel("Email").fill(OPERATOR.email);
  await page.getByLabel("Password").fill(OPERATOR.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/console\/apps\/\d+$/);
  return page;
}

async function teamReply(page: Page, text: string) {
  await page.fill("#inbox-content", text);
  await page.getByRole("button", { name: "Send reply" }).click();
}

/** Milliseconds from `act` until `appeared` resolves. */
async function timed(name: string, act: () => Promise<unknown>, appeared: () => Promise<unknown>) {
  const started = Date.now();
  await act();
  await appeared();
  (latencies[name] ??= []).push(Date.now() - started);
}

describe("conversations, end to end in Chromium", () => {
  it("a merchant asks from the admin widget; an operator sees plan and events beside it and replies; the widget shows the reply", async () => {
    const admin = await openAdmin("/app");
    const widget = await openWidget(admin);
    await widgetSend(widget, "billing question");

    const operator = await consoleLogin();
    await operator.goto(`${server.url}/console/apps/${developerAppId}/inbox`);
    const row = operator.getByTestId("conversation-row").filter({ hasText: "billing question" });
    await row.click();
    await operator.waitForURL(/\/inbox\/[0-9a-f-]{36}$/);
    await expect(operator.getByTestId("message").first().innerText()).resolves.toContain("billing question");
    const customData = await operator.getByTestId("context-custom-data").innerText();
    expect(customData).toMatch(/plan\s+free/);
    expect(customData).toContain(SHOP);
    await expect(operator.getByTestId("context-events").innerText()).resolves.toContain("shop_installed");
    await operator.screenshot({ path: path.join(ARTIFACTS, "console-conversation.png"), fullPage: true });

    // Replies reach the widget without a reload; the merchant's next messages reach the console.
    for (let i = 1; i <= 5; i++) {
      await timed(
        "console reply → admin widget",
        () => teamReply(operator, `We can help (${i})`),
        () => widget.locator(".convot-outgoing", { hasText: `We can help (${i})` }).waitFor({ timeout: 10_000 }),
      );
      await timed(
        "admin widget → console conversation",
        () => widgetSend(widget, `follow-up ${i}`),
        () =>
          operator
            .getByTestId("message")
            .filter({ hasText: `follow-up ${i}` })
            .waitFor({ timeout: 10_000 }),
      );
    }
    expect(await widget.locator(".convot-outgoing").first().innerText()).toContain("We can help (1)");

    // With the panel closed, a reply puts an unread count on the launcher; opening clears it.
    await widget.click("#convot-close");
    const badge = admin.locator("#convot-root button[aria-label] span");
    await teamReply(operator, "One more thing: your invoice is ready");
    await badge.filter({ hasText: /^1$/ }).waitFor({ state: "visible", timeout: 10_000 });
    await admin.locator("#convot-root button[aria-label]").click();
    await widget.locator(".convot-outgoing", { hasText: "your invoice is ready" }).waitFor();
    await expect(badge.isHidden()).resolves.toBe(true);

    // An internal note stays internal.
    await operator.fill("#inbox-content", "internal: refund approved");
    await operator.getByRole("button", { name: "Add internal note" }).click();
    await operator.getByTestId("message").filter({ hasText: "internal: refund approved" }).waitFor();

    // A script payload from the widget is shown as text in the console.
    await widgetSend(widget, XSS);
    await operator.getByTestId("message").filter({ hasText: "window.__xss" }).waitFor({ timeout: 10_000 });
    expect(await operator.getByTestId("message").last().innerText()).toContain(XSS);
    expect(await operator.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await operator.locator("[data-testid=messages] img").count()).toBe(0);
    expect(await widget.locator(".convot-message", { hasText: "refund approved" }).count()).toBe(0);
    await admin.screenshot({ path: path.join(ARTIFACTS, "admin-widget-conversation.png") });

    // Resolve, and the conversation moves to the resolved list.
    await operator.getByRole("button", { name: "Resolve" }).click();
    await operator.getByRole("button", { name: "Reopen" }).waitFor();
    await admin.close();
    await operator.close();
  });

  it("a shopper asks on the storefront; the merchant answers from the admin Inbox; the storefront widget shows it", async () => {
    const shopper = await browser.newPage();
    await shopper.goto(`${server.url}/preview`);
    const widget = await openWidget(shopper);
    // Theme code sets session data through the SDK; it is stored on the conversation.
    await shopper.evaluate(() =>
      (window as any).Convot.push([
        "set",
        "session:data",
        [
          [
            ["cart_items", 3],
            ["page", "product"],
          ],
        ],
      ]),
    );
    await widgetSend(widget, "Do you ship to Canada?");

    const inbox = await openAdmin("/app/inbox");
    const row = inbox.getByTestId("conversation-row").filter({ hasText: "Do you ship to Canada?" });
    await row.waitFor({ timeout: 10_000 });
    await expect(row.innerText()).resolves.toContain("Anonymous visitor");
    await row.click();
    await inbox.waitForURL(/\/app\/inbox\/[0-9a-f-]{36}/);
    await expect(inbox.getByTestId("context-session-data").innerText()).resolves.toMatch(/cart_items\s+3[\s\S]*page\s+product/);

    for (let i = 1; i <= 5; i++) {
      await timed(
        "admin Inbox reply → storefront widget",
        () => teamReply(inbox, `Yes, we ship to Canada (${i})`),
        () => widget.locator(".convot-outgoing", { hasText: `Yes, we ship to Canada (${i})` }).waitFor({ timeout: 10_000 }),
      );
      await timed(
        "storefront widget → admin Inbox",
        () => widgetSend(widget, `thanks ${i}`),
        () =>
          inbox
            .getByTestId("message")
            .filter({ hasText: `thanks ${i}` })
            .waitFor({ timeout: 10_000 }),
      );
    }
    // The reply carries the shop's name, and the history survives a page load.
    expect(await widget.locator(".convot-outgoing small").first().innerText()).toContain("Acme Outfitters");
    await shopper.reload();
    const again = await openWidget(shopper);
    await again.locator(".convot-outgoing", { hasText: "Yes, we ship to Canada (5)" }).waitFor();

    await widgetSend(again, XSS);
    await inbox.getByTestId("message").filter({ hasText: "window.__xss" }).waitFor({ timeout: 10_000 });
    expect(await inbox.getByTestId("message").last().innerText()).toContain(XSS);
    expect(await inbox.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(await again.evaluate(() => (window as any).__xss)).toBeUndefined();
    await inbox.screenshot({ path: path.join(ARTIFACTS, "admin-inbox-conversation.png"), fullPage: true });
    await shopper.close();
    await inbox.close();
  });
});
