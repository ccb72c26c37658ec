// The widget's cost on page load, measured in Chromium: the demo storefront's load event with
// and without the app embed block, median of several cold loads each. Prints; asserts nothing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { execFileSync } from "node:child_process";

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.WIDGET_RUNS ?? 9);

export async function measureWidgetLoad(log = console.log) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-widget-bench-"));
  const databaseUrl = `file:${path.join(dir, "db.sqlite")}`;
  execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: "ignore" });
  const port = 4100 + Math.floor(Math.random() * 100);
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["server/index.ts"], {
    cwd: ROOT,
    stdio: "ignore",
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      DEMO_MODE: "true",
      SHOPIFY_API_KEY: "bench",
      SHOPIFY_API_SECRET: "bench",
      SHOPIFY_APP_URL: origin,
      CONVOT_APP_KEY: "app_WidgetBench0001",
      CONVOT_IDENTITY_SECRET: "d".repeat(64),
      SESSION_SECRET: "bench-session-secret-0123456789abcdef",
    },
  });
  try {
    for (let i = 0; i < 100; i++) {
      try {
        await fetch(`${origin}/preview`);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
    });
    const loadTime = async (query: string) => {
      const context = await browser.newContext(); // cold cache each time
      const page = await context.newPage();
      await page.goto(`${origin}/preview?${query}`, { waitUntil: "load" });
      const ms = await page.evaluate(() => {
        const [nav] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
        return nav.loadEventStart;
      });
      await context.close();
      return ms;
    };
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    await loadTime("embed=0");
    await loadTime("");
    const without: number[] = [];
    const withEmbed: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(await loadTime("embed=0"));
      withEmbed.push(await loadTime(""));
    }
    await browser.close();
    const loader = fs.readFileSync(path.join(ROOT, "extensions/convot-widget/assets/convot-loader.js"));
    const figures = {
      loader_bytes: loader.length,
      loader_gzip_bytes: gzipSync(loader).length,
      load_event_without_embed_ms: +median(without).toFixed(1),
      load_event_with_embed_ms: +median(withEmbed).toFixed(1),
      runs: RUNS,
    };
    log(`  loader ${figures.loader_bytes} B (${figures.loader_gzip_bytes} B gzipped)`);
    log(`  load event, median of ${RUNS} cold loads: without embed ${figures.load_event_without_embed_ms} ms, with embed ${figures.load_event_with_embed_ms} ms`);
    return figures;
  } finally {
    server.kill("SIGTERM");
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("› Widget cost on page load (Chromium, /preview)");
  await measureWidgetLoad();
}
