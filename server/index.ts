// The production server (`npm start`, `node server/index.ts`): loads the Remix build, serves it
// on PORT, and drains on SIGTERM or SIGINT (docs/decisions/022). Node runs this TypeScript as is
// (type stripping, docs/decisions/030); the pieces: http-server.ts (ids, access log, draining),
// direct.ts (API and webhook routes without Remix's matching), routes.ts, node-io.ts.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { operationsOf } from "./build.ts";
import { createHttpServer } from "./http-server.ts";

/** Whatever hangs, the process is gone this long after the signal. */
const EXIT_DEADLINE_MS = 5_000;
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

async function main() {
  const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
  const { logger } = operationsOf(build);
  const port = Number(process.env.PORT ?? 3000);
  const server = createHttpServer(build, `http://localhost:${port}`);
  server.once("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`✗ Port ${port} is in use (another server?). Stop it, or run on another port: PORT=3100 npm run demo`);
    process.exit(1);
  });
  server.listen(port, () => logger.info({ port }, `Convot for Shopify on http://localhost:${port}`));
  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    setTimeout(() => {
      logger.error({ signal }, "still draining after 5 s: exiting anyway");
      process.exit(1);
    }, EXIT_DEADLINE_MS).unref();
    logger.info({ signal }, "draining");
    const cut = await server.drain();
    logger.info({ signal, ms: Math.round(performance.now() - started), cut }, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

await main();
