// Pages with times hydrate without React errors when the viewer's time zone is not the
// server's (Chromium in Auckland, the server in UTC): times render the same on both sides first.
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { webhookDelivery } from "../../scripts/lib/shopify-webhook";
import { launchChromium } from "../support/browser";
import { startInProcessServer, type InProcessServer } from "../support/in-process-server";

const OPERATOR = { email: `tz-${Date.now()}@convot.example`, password: "console password 1" };
const shop = `tz-${Date.now()}.myshopify.com`;
const HYDRATION_ERROR = /Minified React error #(418|423|425)|Hydration failed|did not match|hydrat/i;

let server: InProcessServer;
let browser: Browser;
let appId: number;

beforeAll(async () => {
  server = await startInProcessServer();
  browser = await launchChromium();
  await fetch(`${server.url}/`); // boot: the configured Convot app exists
  const { findAppByPublicKey } = await import("../../app/apps/apps.server");
  const { createOperator } = await import("../../app/console/operators.server");
  const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  appId = app.id;
  await createOperator({ organizationId: app.organizationId, email: OPERATOR.email, password: OPERATOR.password, role: "agent" });
  // A merchant with events (an uninstall) and a conversation with the developer's team.
  const delivery = webhookDelivery({
    topic: "app/uninstalled",
    shop,
    secret: API_SECRET_KEY,
    apiVersion: "2026-10",
    payload: { id: 1, domain: shop, myshopify_domain: shop },
  });
  expect((await fetch(`${server.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(200);
  const auth = { authorization: `Bearer ${process.env.CONVOT_API_KEY}`, "content-type": "application/json" };
  const contacts = await (await fetch(`${server.url}/api/v1/contacts?external_id=${shop}`, { headers: auth })).json();
  const contactId = contacts.contacts?.[0]?.id ?? contacts.id;
  const created = await fetch(`${server.url}/api/v1/conversations`, {
    method: "POST",
    headers: auth,
    body: JSON.stringify({ contact_id: contactId, message: { type: "incoming", content: "What time is it where you are?" } }),
  });
  expect(created.status).toBe(201);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens `pathname` in Auckland and returns what the console said while the page hydrated. */
async function hydrationErrors(page: Page, pathname: string): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${server.url}${pathname}`);
  // (Not "networkidle": the inbox long-polls.) Remix's router exists once the page hydrated.
  await page.waitForFunction(() => (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized);
  await page.waitForTimeout(300); // effects after hydration (the switch to local times) have run
  return errors.filter((text) => HYDRATION_ERROR.test(text));
}

describe("hydration in a time zone other than the server's", () => {
  it("the console's merchants, merchant page and inbox, and the demo shop's inbox, hydrate without errors", async () => {
    const context = await browser.newContext({ timezoneId: "Pacific/Auckland", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${server.url}/console/login`);
    await page.getByLabel("Email").fill(OPERATOR.email);
    await page.getByLabel("Password").fill(OPERATOR.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/console\/apps\/\d+$/);
    expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe("Pacific/Auckland");

    expect(await hydrationErrors(page, `/console/apps/${appId}?q=${shop}`)).toEqual([]);
    const merchant = await page.locator(`a[href^="/console/apps/${appId}/merchants/"]`).first().getAttribute("href");
    expect(await hydrationErrors(page, merchant!)).toEqual([]);
    await expect(page.getByTestId("timeline").innerText()).resolves.toMatch(/ago · \d{4}-\d\d-\d\d \d\d:\d\d UTC/);

    expect(await hydrationErrors(page, `/console/apps/${appId}/inbox`)).toEqual([]);
    await page.getByTestId("conversation-row").first().waitFor();
    const conversation = await page.locator(`a[href*="/inbox/"]`).first().getAttribute("href");
    expect(await hydrationErrors(page, conversation!)).toEqual([]);
    // After hydration the message's time is in the viewer's zone, without the "UTC" the server sent.
    await expect(page.getByTestId("message").first().innerText()).resolves.not.toContain("UTC");

    expect(await hydrationErrors(page, "/demo/inbox")).toEqual([]);
    await context.close();
  }, 60_000);
});
