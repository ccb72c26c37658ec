// What the server (server/) asks of the app, through the build's entry module (build.entry.module.operations):
// the log, each request's access-log line and duration, draining, and closing the databases.
import { prisma, sql } from "../db.server";
import { startDraining } from "./drain.server";
import { logger } from "./log.server";
import { requestFinished, requestStarted } from "./metrics.server";

export type FinishedRequest = {
  requestId: string;
  method: string;
  /** The path without its query. */
  path: string;
  /** The route pattern it matched (/api/v1/contacts/:id), "static" or "unmatched". */
  route: string;
  status: number;
  ms: number;
  /** False when the client left before the response was sent. */
  completed: boolean;
};

export const operations = {
  logger,
  requestStarted,
  /** One access-log line and one duration sample per request, whichever path served it. */
  requestFinished(request: FinishedRequest): void {
    requestFinished(request.method, request.route, request.status, request.ms / 1000);
    logger.info(
      {
        requestId: request.requestId,
        method: request.method,
        path: request.path,
        route: request.route,
        status: request.status,
        ms: Math.round(request.ms * 10) / 10,
        ...(request.completed ? {} : { aborted: true }),
      },
      "request",
    );
  },
  startDraining,
  /** Closes the database handles: work already queued on them runs first. */
  async closeDatabases(): Promise<void> {
    await Promise.allSettled([sql.close(), prisma.$disconnect()]);
  },
};

export type Operations = typeof operations;
