// The process's log: JSON lines on stdout (pino), one per request (server/http-server.ts) and one per
// unexpected error, each carrying the request's id (X-Request-Id).
import pino from "pino";
import { env } from "../env.server";

declare global {
  // One logger per process, however many copies of this module are loaded (a test imports the
  // app's modules beside the server build): one buffered writer on stdout (docs/decisions/032).
  var __convotLogger: pino.Logger | undefined;
}

export const logger: pino.Logger = (globalThis.__convotLogger ??= pino(
  {
    // Tests keep their output to failures unless asked.
    level: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "error" : "info"),
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  // Buffered, not a write per line: the access log is on every request's path. pino flushes it
  // synchronously when the process exits.
  pino.destination({ dest: 1, sync: false }),
));

/** The request id the server gave a request (X-Request-Id), for its error lines. */
export const requestIdOf = (request: Request): string | undefined => request.headers.get("x-request-id") ?? undefined;
