// The widget's cost on page load, measured in Chromium: the demo storefront's load event with
// and without the app embed block, median of several cold loads each. Prints; asserts nothing.
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startPreviewServer } from "./preview-server";

const ROOT = path.resolve(import.meta.dirname, "..");
const RUNS = Number(process.env.WIDGET_RUNS ?? 9);

export async function measureWidgetLoad(log = console.log) {
  const server = await startPreviewServer();
  const origin = server.origin;
  try {
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
    log(
      `  load event, median of ${RUNS} cold loads: without embed ${figures.load_event_without_embed_ms} ms, with embed ${figures.load_event_with_embed_ms} ms`,
    );
    return figures;
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("› Widget cost on page load (Chromium, /preview)");
  await measureWidgetLoad();
}
