import http from "node:http";
import path from "node:path";
import type { Browser, Frame, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "../support/app";
import { ARTIFACTS, launchChromium } from "../support/browser";
import { freePort, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;
let token: string;
let appKey: string;

beforeAll(async () => {
  server = await startServer({ DEMO_MODE: "true" });
  browser = await launchChromium();
  // An API key for the demo shop's storefront app, to look contacts up as its developer would.
  await fetch(`${server.url}/preview`); // creates the storefront app
  const { findStorefrontApp } = await import("../../app/shopify/storefront-apps.server");
  const { createApiKey, SCOPES } = await import("../../app/apps/api-keys.server");
  await db();
  const app = (await findStorefrontApp("convot-demo.myshopify.com"))!;
  appKey = app.publicKey;
  token = (await createApiKey({ appId: app.id, scopes: [...SCOPES] })).token;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function contacts(query: string) {
  const res = await fetch(`${server.url}/api/v1/contacts?${query}`, { headers: { Authorization: `Bearer ${token}` } });
  return (await res.json()).contacts as { id: number; email: string; external_id: string; verified: boolean; name: string }[];
}

async function waitFor<T>(probe: () => Promise<T | undefined | null | false>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openPreview(query: string): Promise<Page> {
  const page = await browser.newPage();
  // Every frame records its own errors, so the host page's list shows what reached it.
  await page.addInitScript(() => {
    (window as any).__errors = [];
    addEventListener("error", (e) => (window as any).__errors.push(String(e.message)));
  });
  // Hold the loader back so theme code provably runs before it.
  await page.route("**/widget/loader.js", async (route) => {
    await new Promise((r) => setTimeout(r, 300));
    await route.continue();
  });
  await page.goto(`${server.url}/preview?${query}`, { waitUntil: "load" });
  return page;
}

describe("the widget on a storefront (/preview, real Liquid, real Chromium)", () => {
  it("shows the launcher and replays calls queued before the loader ran: an unverified identify reaches the store", async () => {
    const identify = JSON.stringify({ email: "sam.shopper@example.com", name: "Sam Shopper" });
    const page = await openPreview(`identify=${encodeURIComponent(identify)}`);
    const launcher = page.locator("#convot-root button[aria-label='Chat with us']");
    await launcher.waitFor({ state: "visible" });
    expect(await page.evaluate(() => (window as any).Convot.loaded)).toBe(true);
    const [contact] = await waitFor(async () => {
      const found = await contacts("email=sam.shopper@example.com");
      return found.length ? found : null;
    });
    expect(contact).toMatchObject({ name: "Sam Shopper", verified: false });
    await page.screenshot({ path: path.join(ARTIFACTS, "storefront-preview.png") });
    await page.close();
  });

  it("identifies a logged-in shopper through the app proxy as a verified contact", async () => {
    const page = await openPreview("customer=7418320650537");
    const [contact] = await waitFor(async () => {
      const found = await contacts("external_id=shopify_customer_7418320650537");
      return found.length ? found : null;
    });
    expect(contact.verified).toBe(true);
    await page.close();
  });

  it("Crisp-style push(['set', 'user:email', …]) identifies an anonymous visitor", async () => {
    const page = await openPreview("");
    await page.evaluate(() => {
      const convot = (window as any).Convot;
      convot.push(["set", "user:nickname", ["Pat Visitor"]]);
      convot.push(["set", "user:email", ["pat.visitor@example.com"]]);
      convot.push(["set", "session:data", [[["cart_value", 42]]]]);
    });
    const [contact] = await waitFor(async () => {
      const found = await contacts("email=pat.visitor@example.com");
      return found.length ? found : null;
    });
    expect(contact).toMatchObject({ name: "Pat Visitor", verified: false });
    await page.close();
  });

  it("carries a verified shopper to the help center: identityToken() and the panel's help link", async () => {
    const page = await openPreview("customer=555000111");
    await waitFor(async () => (await contacts("external_id=shopify_customer_555000111")).length > 0);
    const token = await page.evaluate(() => (window as any).Convot.identityToken());
    expect(token).toMatch(/^v2\.[\w-]+\.[\w-]+$/);
    const panel = page.frameLocator("#convot-root iframe");
    const href = await panel.locator("#convot-help").getAttribute("href");
    expect(href).toContain(`convot_identity=${token}`);
    const help = await browser.newPage();
    await help.goto(href!);
    expect(await help.getByTestId("visitor").textContent()).toContain("Signed in as");
    await help.close();
    await page.close();
  });

  it("opens and closes the panel; Convot.push do-commands drive it too", async () => {
    const page = await openPreview("greeting=Need%20a%20hand%3F");
    const launcher = page.locator("#convot-root button");
    const frame = page.locator("#convot-root iframe");
    await launcher.click();
    await frame.waitFor({ state: "visible" });
    const panel = page.frameLocator("#convot-root iframe");
    await expect(panel.locator("#convot-greeting").textContent()).resolves.toBe("Need a hand?");
    await page.screenshot({ path: path.join(ARTIFACTS, "storefront-panel-open.png") });
    await panel.locator("#convot-close").click();
    await frame.waitFor({ state: "hidden" });
    await page.evaluate(() => (window as any).Convot.push(["do", "chat:open"]));
    await frame.waitFor({ state: "visible" });
    await page.evaluate(() => (window as any).Convot.close());
    await frame.waitFor({ state: "hidden" });
    await page.evaluate(() => (window as any).Convot.push(["do", "chat:hide"]));
    await launcher.waitFor({ state: "hidden" });
    await page.close();
  });

  it("hides on phones when the merchant ticks hide_on_mobile, and only then", async () => {
    const phone = await browser.newPage({ viewport: { width: 375, height: 740 } });
    const loaderFetched = phone.waitForResponse("**/widget/loader.js");
    await phone.goto(`${server.url}/preview?hide_on_mobile=true`, { waitUntil: "load" });
    await loaderFetched;
    await phone.waitForLoadState("networkidle"); // the loader has run (and stood down)
    expect(await phone.locator("#convot-root").count()).toBe(0);
    expect(await phone.evaluate(() => (window as any).Convot.loaded)).toBeUndefined();
    await phone.goto(`${server.url}/preview?hide_on_mobile=false`, { waitUntil: "load" });
    await phone.locator("#convot-root button").waitFor({ state: "visible" });
    await phone.close();

    const desktop = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await desktop.goto(`${server.url}/preview?hide_on_mobile=true`, { waitUntil: "load" });
    await desktop.locator("#convot-root button").waitFor({ state: "visible" });
    await desktop.close();
  });

  it("a guest with nothing to send downloads the launcher only: the panel loads on first intent, and on idle once they have chatted", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const panelRequests: string[] = [];
    page.on("request", (request) => {
      if (/\/widget\/(frame|panel\.js)|\/api\/v1\/widget\//.test(request.url())) panelRequests.push(new URL(request.url()).pathname);
    });
    await page.goto(`${server.url}/preview`, { waitUntil: "load" });
    const launcher = page.locator("#convot-root button");
    await launcher.waitFor({ state: "visible" });
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(500); // past the browser's idle time too
    expect(panelRequests).toEqual([]);
    expect(await page.locator("#convot-root iframe").count()).toBe(0);

    // Pointing at the launcher starts the panel loading; the click opens it.
    await launcher.hover();
    await page.locator("#convot-root iframe").waitFor({ state: "attached" });
    await launcher.click();
    const panel = page.frameLocator("#convot-root iframe");
    await panel.locator("#convot-input").waitFor();
    expect(panelRequests).toContain("/widget/frame");

    // A visitor who has opened the chat gets the panel on the next page without touching
    // anything, so a reply waiting for them shows on the launcher.
    const next = await context.newPage();
    await next.goto(`${server.url}/preview`, { waitUntil: "load" });
    await next.locator("#convot-root iframe").waitFor({ state: "attached" });
    await context.close();
  });

  it("keeps a script error inside the panel away from the host page", async () => {
    const page = await openPreview("");
    await page.locator("#convot-root button").click();
    // The panel's iframe is attached after the host's load event: wait for it, then its document.
    const iframe = page.locator("#convot-root iframe");
    await iframe.waitFor({ state: "visible" });
    const frame = (await (await iframe.elementHandle())!.contentFrame())!;
    await frame.waitForLoadState("load");
    await frame.waitForFunction(() => Array.isArray((window as any).__errors));
    await frame.evaluate(() =>
      setTimeout(() => {
        throw new Error("panel exploded");
      }),
    );
    await waitFor(async () => (await frame.evaluate(() => (window as any).__errors.length)) > 0);
    expect(await frame.evaluate(() => (window as any).__errors)).toEqual([expect.stringContaining("panel exploded")]);
    expect(await page.evaluate(() => (window as any).__errors)).toEqual([]);
    expect(await page.locator("header h1").textContent()).toBe("Convot demo store");
    await page.close();
  });

  it("ignores messages that do not come from its own panel", async () => {
    const page = await openPreview("");
    await page.locator("#convot-root button").click();
    await page.locator("#convot-root iframe").waitFor({ state: "visible" });
    // A forged close from the page itself (wrong origin/source) must not close the panel.
    await page.evaluate(() => window.postMessage({ type: "convot:close" }, "*"));
    await new Promise((r) => setTimeout(r, 200));
    expect(await page.locator("#convot-root iframe").isVisible()).toBe(true);
    await page.close();
  });
});

/** Serves one HTML page from another origin of the same site as the app (another port of 127.0.0.1). */
async function sameSitePage(html: (origin: string) => string): Promise<{ origin: string; close: () => Promise<void> }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const page = http.createServer((_, res) => res.writeHead(200, { "Content-Type": "text/html" }).end(html(origin)));
  await new Promise<void>((resolve) => page.listen(port, "127.0.0.1", resolve));
  return { origin, close: () => new Promise((resolve) => page.close(() => resolve())) };
}

describe("the storefront visitor's conversation stays with the storefront", () => {
  it("a page of the same site framing the panel does not see it, whatever host it names; the storefront still does", async () => {
    const context = await browser.newContext();
    const storefront = await context.newPage();
    await storefront.goto(`${server.url}/preview`, { waitUntil: "load" });
    await storefront.locator("#convot-root button").click();
    const panel = storefront.frameLocator("#convot-root iframe");
    await panel.locator("#convot-input").fill("Ship it to 1 Private Lane");
    await panel.locator("#convot-form button[type=submit]").click();
    await panel.locator(".convot-incoming", { hasText: "1 Private Lane" }).waitFor();

    // One frame names the page itself as host, one poses as the storefront; the page answers
    // every message it can, as a loader would, to any origin.
    const frameUrl = (host: string) => `${server.url}/widget/frame?${new URLSearchParams({ app: appKey, host })}`;
    const other = await sameSitePage(
      (origin) => `<!doctype html><title>Same site</title>
<iframe id="itself" src="${frameUrl(origin)}"></iframe>
<iframe id="posing" src="${frameUrl(server.url)}"></iframe>
<script>
  addEventListener("message", (event) => event.source && event.source.postMessage({ type: "convot:hello" }, "*"));
  setInterval(() => document.querySelectorAll("iframe").forEach((f) => f.contentWindow.postMessage({ type: "convot:hello" }, "*")), 50);
</script>`,
    );
    const spy = await context.newPage();
    const widgetCalls: string[] = [];
    spy.on("request", (request) => {
      if (request.url().includes("/api/v1/")) widgetCalls.push(request.url());
    });
    const refused = spy.waitForResponse((response) => response.url().startsWith(frameUrl(other.origin)));
    await spy.goto(other.origin, { waitUntil: "load" });
    expect((await refused).status()).toBe(403);
    const frameOf = async (id: string): Promise<Frame> => (await (await spy.$(`#${id}`))!.contentFrame())!;
    await expect((await frameOf("itself")).locator("body").innerText()).resolves.toContain(other.origin);

    // Served (the host is the storefront's), but its parent is not the storefront: it stays empty.
    const posing = await frameOf("posing");
    await posing.locator("#convot-status", { hasText: "not available" }).waitFor();
    await spy.waitForTimeout(500);
    expect(await posing.locator(".convot-message").count()).toBe(0);
    expect(widgetCalls).toEqual([]);
    await spy.close();
    await other.close();

    // The slot every host shared before is emptied, never read; the storefront's own slot is kept.
    await storefront.evaluate((key) => localStorage.setItem(`convot:visitor:${key}`, "a token from before"), appKey);
    await storefront.reload({ waitUntil: "load" });
    await storefront.locator("#convot-root button").click();
    await storefront.frameLocator("#convot-root iframe").locator(".convot-incoming", { hasText: "1 Private Lane" }).waitFor();
    expect(await storefront.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("convot:visitor")))).toEqual([
      `convot:visitor:${appKey}:${server.url}`,
    ]);
    await context.close();
  });
});
