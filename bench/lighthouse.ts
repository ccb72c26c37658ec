// The widget's storefront cost as Shopify measures it: Lighthouse's performance score (its
// default mobile run, simulated throttling) on the demo storefront with and without the app
// embed block, the median of several runs each. Shopify refuses apps that cost more than 10
// points; our goal is 1. Prints; asserts nothing.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { startPreviewServer } from "./preview-server";

const RUNS = Math.max(5, Number(process.env.LIGHTHOUSE_RUNS ?? 5));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

type Run = { score: number; lcp_ms: number; tbt_ms: number; total_bytes: number };

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function medians(runs: Run[]): Run {
  return {
    score: median(runs.map((r) => r.score)),
    lcp_ms: Math.round(median(runs.map((r) => r.lcp_ms))),
    tbt_ms: Math.round(median(runs.map((r) => r.tbt_ms))),
    total_bytes: Math.round(median(runs.map((r) => r.total_bytes))),
  };
}

export async function measureLighthouse(log = console.log) {
  const server = await startPreviewServer();
  // Headless and without the sandbox: the bench runs as root in CI containers.
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
  });
  try {
    const audit = async (url: string): Promise<Run> => {
      const result = await lighthouse(url, { port: chrome.port, output: "json", logLevel: "error", onlyCategories: ["performance"] });
      const lhr = result!.lhr;
      if (lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      return {
        score: Math.round((lhr.categories.performance.score ?? 0) * 100),
        lcp_ms: lhr.audits["largest-contentful-paint"].numericValue!,
        tbt_ms: lhr.audits["total-blocking-time"].numericValue!,
        total_bytes: lhr.audits["total-byte-weight"].numericValue!,
      };
    };
    const withoutUrl = `${server.origin}/preview?embed=0`;
    const withUrl = `${server.origin}/preview`;
    // One unmeasured run each warms the server's code paths; then the two alternate so that
    // anything else the machine does weighs on both alike.
    await audit(withoutUrl);
    await audit(withUrl);
    const without: Run[] = [];
    const withEmbed: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      without.push(await audit(withoutUrl));
      withEmbed.push(await audit(withUrl));
    }
    const a = medians(without);
    const b = medians(withEmbed);
    const figures = {
      runs: RUNS,
      without_embed: a,
      with_embed: b,
      scores_without: without.map((r) => r.score),
      scores_with: withEmbed.map((r) => r.score),
      score_cost_points: a.score - b.score,
    };
    const row = (name: string, r: Run) =>
      `  ${name.padEnd(14)} score ${String(r.score).padStart(3)}   LCP ${String(r.lcp_ms).padStart(5)} ms   TBT ${String(r.tbt_ms).padStart(4)} ms   ${(r.total_bytes / 1024).toFixed(1).padStart(6)} KiB`;
    log(`  medians of ${RUNS} Lighthouse runs (mobile, simulated throttling) on /preview:`);
    log(row("without embed", a));
    log(row("with embed", b));
    log(`  scores without ${JSON.stringify(figures.scores_without)}, with ${JSON.stringify(figures.scores_with)}`);
    log(`  performance cost of the embed: ${figures.score_cost_points} point(s)  (goal ≤ 1; Shopify's limit 10)`);
    return figures;
  } finally {
    chrome.kill();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log("› Storefront cost (Lighthouse, /preview with and without the embed)");
  await measureLighthouse();
}
