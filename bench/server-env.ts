// What the benches' servers share: the environment a bench server runs with, waiting until it
// answers, and its CPU time (steadier than req/s on a noisy machine).
import fs from "node:fs";

/**
 * The environment of a bench server: production, no Shopify, a configured app whose identify
 * loads come through a proxy (TRUST_PROXY) from many addresses, and a per-app read allowance no
 * bench load reaches (the figures measure the path, not the guard). `extra` overrides.
 */
export function benchServerEnv(port: number, databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: "production",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    SHOPIFY_API_KEY: "bench",
    SHOPIFY_API_SECRET: "s".repeat(32),
    SHOPIFY_APP_URL: `http://127.0.0.1:${port}`,
    DEMO_MODE: "false",
    CONVOT_APP_KEY: "app_BenchShopifyApp0001",
    CONVOT_IDENTITY_SECRET: "c".repeat(64),
    SESSION_SECRET: "bench-session-secret-0123456789abcdef",
    TRUST_PROXY: "true",
    APP_READ_RATE_LIMIT: "1000000",
    ...extra,
  };
}

/** Resolves once the server at `base` answers anything. */
export async function waitUntilUp(base: string): Promise<void> {
  for (;;) {
    try {
      await fetch(base);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** A process's CPU time so far (user + system), in clock ticks of 10 ms. */
export function cpuTicks(pid: number): number {
  return fs
    .readFileSync(`/proc/${pid}/stat`, "utf8")
    .split(") ")[1]
    .split(" ")
    .slice(11, 13)
    .reduce((a, b) => a + Number(b), 0);
}
