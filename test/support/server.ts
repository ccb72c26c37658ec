// Starts the built app as users run it (the server process on a real port) for tests that need a socket.
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { ROOT } from "./database";

/** The production server's entry, which Node runs as TypeScript (docs/decisions/030). */
export const SERVER_ENTRY = path.join(ROOT, "server/index.ts");

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export type RunningServer = { url: string; output: () => string; stop: () => Promise<void>; process: ChildProcess };

/**
 * Runs the server on the build; resolves once it answers, rejects with its output if it exits.
 * The app's URL is the server's own (the widget is served only to the app's own origins).
 */
export async function startServer(env: Record<string, string | undefined>, timeoutMs = 20_000): Promise<RunningServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: "production", PORT: String(port), SHOPIFY_APP_URL: url, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<never>((_, reject) =>
    child.on("exit", (code) => reject(Object.assign(new Error(`server exited with ${code}:\n${output}`), { code, output }))),
  );
  const ready = (async () => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        await fetch(url);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    throw new Error(`server did not answer within ${timeoutMs} ms:\n${output}`);
  })();
  await Promise.race([ready, exited]);
  return {
    url,
    process: child,
    output: () => output,
    // SIGTERM lets the server close gracefully; a connection it keeps waiting on must not hang the test.
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      }),
  };
}

/** Runs a project script with tsx; resolves with its exit code and output. */
export function runScript(args: string[], env: Record<string, string | undefined> = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(path.join(ROOT, "node_modules/.bin/tsx"), args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
