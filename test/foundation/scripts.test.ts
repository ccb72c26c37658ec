// The first-run scripts (setup.sh, demo.sh, db.ts): which .env value wins, the busy-port check,
// and what a migration against a running server says.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../support/database";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "convot-scripts-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs a few lines of bash with scripts/lib/env.sh loaded, in a clean environment plus `env`. */
function shell(script: string, env: Record<string, string> = {}) {
  return spawnSync("bash", ["-c", `set -euo pipefail; . scripts/lib/env.sh; ${script}`], {
    cwd: ROOT,
    encoding: "utf8",
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? "/tmp", ...env } as unknown as NodeJS.ProcessEnv,
  });
}

describe("scripts/lib/env.sh", () => {
  const dotenv = path.join(tmp, ".env");
  fs.writeFileSync(dotenv, 'PORT=3000\nSHOPIFY_APP_URL=http://localhost:3000\nGREETING="hello there"\n');

  it("loads .env, but a variable already in the environment wins", () => {
    const run = shell(`load_dotenv ${dotenv}; echo "$PORT|$GREETING"`, { PORT: "3100" });
    expect(run.stdout.trim()).toBe("3100|hello there");
    expect(shell(`load_dotenv ${dotenv}; echo "$PORT"`).stdout.trim()).toBe("3000");
  });

  it("points a local app URL at the port in use, and leaves a tunnel's URL alone", () => {
    expect(shell(`load_dotenv ${dotenv}; follow_port_in_app_url; echo "$SHOPIFY_APP_URL"`, { PORT: "3100" }).stdout.trim()).toBe(
      "http://localhost:3100",
    );
    const tunnel = "https://convot-dev.trycloudflare.com";
    expect(shell(`follow_port_in_app_url; echo "$SHOPIFY_APP_URL"`, { PORT: "3100", SHOPIFY_APP_URL: tunnel }).stdout.trim()).toBe(tunnel);
  });

  it("reports a busy port in one line", async () => {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const run = shell(`require_free_port ${port}`);
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split("\n")).toEqual([expect.stringContaining(`Port ${port} is in use`)]);
    } finally {
      server.close();
    }
    expect(shell(`require_free_port ${port}`).status).toBe(0);
  });

  it("prints a step's real duration", () => {
    expect(shell(`step "Waiting" sleep 1`).stdout).toMatch(/› Waiting…\n {2}done in [12] s/);
  });
});

describe("migrating the SQLite database while a server holds it", () => {
  it("says to stop the server first, and fails", async () => {
    const file = path.join(tmp, "busy.sqlite");
    // A child process holds the write lock, as a running server's open write does.
    const holder = spawn(
      process.execPath,
      [
        "-e",
        `const D = require("better-sqlite3"); const d = new D(${JSON.stringify(file)}); d.exec("CREATE TABLE held(a)"); d.exec("BEGIN EXCLUSIVE"); console.log("held"); setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve) => holder.stdout!.once("data", () => resolve()));
    try {
      const run = spawnSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: `file:${file}` },
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("stop the server first");
      expect(run.stderr).not.toContain("SocketTimeout");
    } finally {
      holder.kill();
    }
  }, 60_000);

  it("says in one line how many migrations it applied", () => {
    const url = `file:${path.join(tmp, "fresh.sqlite")}`;
    const deploy = () =>
      execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
        cwd: ROOT,
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: url },
      });
    expect(deploy().trim()).toMatch(/^applied \d+ migrations$/);
    expect(deploy().trim()).toBe("no pending migrations");
  }, 60_000);
});
