// The demo storefront (/preview) served by the server (server/index.ts) on a free port, with its own
// fresh SQLite database: what the widget-cost benches load in Chromium.
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

export type PreviewServer = { origin: string; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

export async function startPreviewServer(): Promise<PreviewServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-preview-bench-"));
  const databaseUrl = `file:${path.join(dir, "db.sqlite")}`;
  execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: "ignore",
  });
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, ["server/index.ts"], {
    cwd: ROOT,
    stdio: ["ignore", "ignore", "inherit"],
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
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      await new Promise<void>((resolve) => {
        server.once("exit", () => resolve());
        server.kill("SIGTERM");
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) break;
    try {
      // The first /preview also creates the demo shop's storefront app.
      if ((await fetch(`${origin}/preview`)).ok) return { origin, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the preview server on ${origin} did not answer /preview`);
}
