// The chat panel by keyboard alone, in Chromium on the sample storefront: Tab to the launcher,
// Enter opens the panel with the cursor in the message box, Enter sends, Escape (or the
// panel's Close button) closes and puts focus back on the launcher.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../support/browser";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer({ DEMO_MODE: "true" });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the chat panel by keyboard", () => {
  it("opens, sends, closes and returns focus to the launcher", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${server.url}/preview`, { waitUntil: "load" });
    const launcher = page.locator("#convot-root > button");
    await launcher.waitFor();
    const onLauncher = () => page.evaluate(() => document.activeElement === document.querySelector("#convot-root > button"));

    for (let presses = 0; presses < 60 && !(await onLauncher()); presses++) await page.keyboard.press("Tab");
    expect(await onLauncher(), "Tab reaches the launcher").toBe(true);

    await page.keyboard.press("Enter");
    await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("true");
    const frame = (await (await page.waitForSelector("#convot-root iframe")).contentFrame())!;
    await frame.waitForFunction(() => document.activeElement?.id === "convot-input");

    await page.keyboard.type("Hello, typed with the keyboard only");
    await page.keyboard.press("Enter");
    await frame.locator(".convot-incoming", { hasText: "Hello, typed with the keyboard only" }).waitFor();
    await frame.waitForFunction(() => (document.getElementById("convot-input") as HTMLTextAreaElement).value === "");

    await page.keyboard.press("Escape");
    await expect(launcher.getAttribute("aria-expanded")).resolves.toBe("false");
    await page.waitForFunction(() => document.activeElement === document.querySelector("#convot-root > button"));
    expect(await page.locator("#convot-root iframe").isVisible()).toBe(false);

    // And Escape on the launcher itself closes a panel opened with Enter.
    await page.keyboard.press("Enter");
    await frame.waitForFunction(() => document.activeElement?.id === "convot-input");
    await page.keyboard.press("Escape");
    await page.waitForFunction(() => document.activeElement === document.querySelector("#convot-root > button"));

    // The panel's own Close button, reached with Tab, closes it too and gives focus back.
    await page.keyboard.press("Enter");
    await frame.waitForFunction(() => document.activeElement?.id === "convot-input");
    for (let presses = 0; presses < 10 && !(await frame.evaluate(() => document.activeElement?.id === "convot-close")); presses++)
      await page.keyboard.press("Shift+Tab");
    expect(await frame.evaluate(() => document.activeElement?.id), "Shift+Tab reaches the Close button").toBe("convot-close");
    await page.keyboard.press("Enter");
    await expect.poll(() => launcher.getAttribute("aria-expanded")).toBe("false");
    await page.waitForFunction(() => document.activeElement === document.querySelector("#convot-root > button"));
    await page.close();
  }, 60_000);
});
