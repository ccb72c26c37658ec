// The whole HTTP server for a build: direct routes first, then static files and Remix. Every
// request, either way, gets a request id (X-Request-Id), an access-log line and a duration
// sample (ADR 023); `drain()` lets in-flight requests finish before the instance stops (ADR 022).
import { randomUUID } from "node:crypto";
import http from "node:http";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { operationsOf } from "./build.ts";
import { createDirectHandler, type Exchange } from "./direct.ts";
import { peerOf } from "./node-io.ts";
import { limitPageBody } from "./page-body.ts";
import { routeLabels } from "./routes.ts";

/** How long a draining instance lets in-flight requests finish before it cuts them (then closes its pools and exits, within 5 s). */
export const DRAIN_GRACE_MS = 4_000;
/** How long closing the database pools may take once the requests are done. */
const CLOSE_DATABASES_MS = 500;
/** A client's own X-Request-Id is kept when it looks like an id (a load balancer's, a trace id); otherwise one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export type DrainingServer = http.Server & {
  /** True once drain() has begun: new answers close their connection. */
  draining: boolean;
  /**
   * Drains the server (SIGTERM): stops accepting connections, answers waiting long-polls at once
   * (the app's drain signal) and closes idle keep-alive connections; lets in-flight requests
   * finish for up to `graceMs`, then cuts what is left; closes the app's database pools.
   * Resolves with how many requests were cut.
   */
  drain(graceMs?: number): Promise<number>;
};

export function createHttpServer(build: ServerBuild, origin: string): DrainingServer {
  const direct = createDirectHandler(build, origin);
  const operations = operationsOf(build);
  const labelOf = routeLabels(build);
  /** Each request's exchange, for the Remix path (Express hands its handler the same req). */
  const exchanges = new WeakMap<http.IncomingMessage, Exchange>();
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.use(limitPageBody);
  const remix = createRequestHandler({ build, mode: process.env.NODE_ENV });
  app.all("*", (req, res, next) => {
    const exchange = exchanges.get(req);
    const work = remix(req, res, next);
    if (exchange) exchange.work = work;
  });

  /** Responses not yet finished: a draining server tells their clients it closes the connection. */
  const open = new Set<http.ServerResponse>();
  /** Requests not yet done: the response closed and the handler, if one started, returned. */
  const pending = new Set<Promise<unknown>>();
  const server = http.createServer((req, res) => {
    const started = performance.now();
    const given = req.headers["x-request-id"];
    const requestId = typeof given === "string" && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    req.headers["x-request-id"] = requestId;
    res.setHeader("X-Request-Id", requestId);
    // Requests Remix serves read the same header (a path Remix matches but the direct table
    // does not, such as a differently cased one, must not carry a client-chosen peer).
    req.headers["x-convot-peer"] = peerOf(req);
    // A draining server answers what reaches it on an open connection, and closes the connection.
    if (server.draining) res.setHeader("Connection", "close");
    open.add(res);
    operations.requestStarted();
    // A request's handler, once one runs: a draining server waits for it even when the client has left.
    const exchange: Exchange = {};
    exchanges.set(req, exchange);
    let closed!: () => void;
    const done: Promise<unknown> = new Promise<void>((resolve) => (closed = resolve))
      .then(() => exchange.work)
      .then(
        () => pending.delete(done),
        () => pending.delete(done),
      );
    pending.add(done);
    res.once("close", () => {
      closed();
      open.delete(res);
      const url = req.url ?? "/";
      const query = url.indexOf("?");
      const path = query === -1 ? url : url.slice(0, query);
      operations.requestFinished({
        requestId,
        method: req.method ?? "GET",
        path,
        // A direct route's pattern; Remix's route; or no handler ran: a file from the static middleware.
        route: exchange.route ?? (exchange.work ? labelOf(path) : "static"),
        status: res.statusCode,
        ms: performance.now() - started,
        completed: res.writableFinished,
      });
    });
    direct(req, res, exchange).then(
      (handled) => handled || app(req, res),
      (error) => {
        operations.logger.error({ err: error, requestId }, "request failed");
        res.statusCode = 500;
        res.end();
      },
    );
  }) as DrainingServer;
  server.keepAliveTimeout = 65_000;
  server.draining = false;

  server.drain = async (graceMs = DRAIN_GRACE_MS) => {
    server.draining = true;
    for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
    operations.startDraining();
    server.close();
    server.closeIdleConnections();
    const deadline = performance.now() + graceMs;
    // (Requests may still arrive on connections that were busy: they join the wait.)
    while (pending.size && performance.now() < deadline) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise((resolve) => (timer = setTimeout(resolve, deadline - performance.now())));
      await Promise.race([Promise.all([...pending]), late]);
      clearTimeout(timer);
    }
    const cut = pending.size;
    if (cut) operations.logger.warn({ requests: cut }, `requests still running after ${graceMs} ms of draining: cut`);
    server.closeAllConnections();
    await Promise.race([operations.closeDatabases(), new Promise((resolve) => setTimeout(resolve, CLOSE_DATABASES_MS).unref())]);
    return cut;
  };
  return server;
}
