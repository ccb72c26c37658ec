// The production HTTP server. JSON API and webhook requests go straight to their Remix route
// module (the same loader/action code, minus Remix's per-request route matching and the
// Express middleware stack); every other request — pages, assets — goes through Remix as usual.
// Why: docs/decisions/004-direct-dispatch-for-api-routes.md. Every request, either way, gets a
// request id (X-Request-Id), an access-log line and a duration sample; SIGTERM drains the
// instance (docs/decisions/022).
import { randomUUID } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";

/** Route paths whose resource routes are dispatched directly: those under a prefix ("…/"), and exact ones. */
const DIRECT_PREFIXES = ["api/", "webhooks/", "proxy/", "healthz", "readyz", "metrics"];
/** How long a draining instance lets in-flight requests finish before it cuts them (then closes its pools and exits, within 5 s). */
export const DRAIN_GRACE_MS = 4_000;
/** How long closing the database pools may take once the requests are done. */
const CLOSE_DATABASES_MS = 500;
/** A client's own X-Request-Id is kept when it looks like an id (a load balancer's, a trace id); otherwise one is made. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;
const ROUTE = Symbol("convot.route");
/** A request's handler, once one runs: a draining server waits for it even when the client has left (ADR 004). */
const WORK = Symbol("convot.work");
/** Larger bodies are refused before they are read: the JSON API takes 64 KB, Shopify's webhooks more. */
const MAX_DIRECT_BODY = 5 * 1024 * 1024;
const MAX_API_BODY = 64 * 1024;

const isDirect = (pattern) => DIRECT_PREFIXES.some((prefix) => (prefix.endsWith("/") ? pattern.startsWith(prefix) : pattern === prefix));

/** @param {import("@remix-run/node").ServerBuild} build */
export function directRoutes(build) {
  const table = routeTable(build, (route, pattern) => !route.module.default && !route.index && !!(route.module.loader || route.module.action) && isDirect(pattern));
  return (pathname) => {
    for (const route of table) {
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const params = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1])));
      } catch {
        // Malformed percent-encoding (/api/v1/contacts/%E0) names no resource.
        return { route: NOT_FOUND_ROUTE, params: {} };
      }
      return { route, params };
    }
    return null;
  };
}

/** A direct route's stand-in for a path that cannot be decoded: the API's 404 envelope. */
const NOT_FOUND_ROUTE = {
  id: "not-found",
  label: "unmatched",
  module: {
    loader: () => Response.json({ error: { code: "not_found", message: "not found: the path is not valid percent-encoding" } }, { status: 404 }),
    action: () => Response.json({ error: { code: "not_found", message: "not found: the path is not valid percent-encoding" } }, { status: 404 }),
  },
  names: [],
};

/** Pages (Remix's forms) take at most this much: a sign-in or settings form is a few hundred bytes. */
const MAX_PAGE_BODY = 1024 * 1024;

/**
 * Refuses a page request whose body is over MAX_PAGE_BODY before Remix reads it (a 30 MB form
 * post to the login page was read whole). Browsers send a form's Content-Length; a body without
 * one (chunked) could be any size, so it is refused too (411).
 */
function limitPageBody(req, res, next) {
  const length = req.headers["content-length"];
  if (length === undefined && req.headers["transfer-encoding"]) {
    res.status(411).set("Connection", "close").send("Send the request body with a Content-Length");
    req.resume();
    return;
  }
  if (Number(length ?? 0) > MAX_PAGE_BODY) {
    res.status(413).set("Connection", "close").send("Request body too large");
    req.resume();
    return;
  }
  next();
}

/**
 * The route pattern of a request Remix served, for logs and metrics (/console/apps/:appId): the
 * most specific route whose full path matches, else "unmatched" — a bounded set of labels
 * whatever URLs clients send.
 */
export function routeLabels(build) {
  const table = routeTable(build, () => true);
  return (pathname) => table.find((route) => route.regex.test(pathname))?.label ?? "unmatched";
}

/** The build's routes with their full path as a case-insensitive regex, static ones first (as Remix ranks them). */
function routeTable(build, accept) {
  const routes = build.routes;
  const fullPath = (id) => {
    const parts = [];
    for (let route = routes[id]; route; route = routes[route.parentId]) if (route.path) parts.unshift(route.path);
    return parts.join("/");
  };
  const table = [];
  for (const [id, route] of Object.entries(routes)) {
    const pattern = fullPath(id);
    if (!accept(route, pattern)) continue;
    const mod = route.module;
    const names = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (segment === "*") return names.push("*"), "(.*)";
        if (segment.startsWith(":")) return names.push(segment.slice(1)), "([^/]+)";
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    table.push({ id, module: mod, names, regex: new RegExp(`^/${source}/?$`, "i"), dynamic: names.length, label: `/${pattern}` });
  }
  return table.sort((a, b) => a.dynamic - b.dynamic);
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > limit) {
        // Answer 413 now; the rest of the upload is drained and dropped, not buffered.
        req.removeAllListeners("data");
        req.resume();
        reject(Object.assign(new Error("body too large"), { status: 413 }));
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The socket's peer, for rate limits: set by the server on every request, never taken from the client. */
function peerOf(req) {
  return req.socket.remoteAddress ?? "unknown";
}

function toHeaders(rawHeaders) {
  const headers = new Headers();
  for (let i = 0; i < rawHeaders.length; i += 2) headers.append(rawHeaders[i], rawHeaders[i + 1]);
  return headers;
}

/** Shared with app/http/api.server.ts: a body handed over as is, without a web stream. */
const RAW_BODY = Symbol.for("convot.rawBody");

async function send(res, response, method) {
  const headers = {};
  for (const [name, value] of response.headers) if (name !== "set-cookie") headers[name] = value;
  const cookies = response.headers.getSetCookie();
  if (cookies.length) headers["set-cookie"] = cookies;
  const raw = response.bodyUsed ? undefined : response[RAW_BODY];
  const body = method === "HEAD" || !response.body ? null : typeof raw === "string" ? raw : Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, response.statusText || undefined, headers);
  res.end(body);
}

/**
 * Runs a directly dispatched route the way Remix runs a resource route: GET/HEAD/OPTIONS →
 * loader, other methods → action; a thrown Response is the response; any other throw is
 * logged and becomes a 500.
 */
export async function runDirect(found, request, logger = CONSOLE_LOGGER) {
  const isLoader = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS";
  const handler = isLoader ? found.route.module.loader : found.route.module.action;
  if (!handler) return new Response(null, { status: 405 });
  try {
    const result = await handler({ request, params: found.params, context: {} });
    return result instanceof Response ? result : Response.json(result ?? null);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    const requestId = request.headers.get("x-request-id") ?? undefined;
    logger.error({ err: thrown, requestId, method: request.method, path: new URL(request.url).pathname, route: found.route.id }, "request failed");
    return new Response("Unexpected Server Error", { status: 500 });
  }
}

/** For a build without the app's hooks (tests' stand-in builds): errors to the console, nothing else. */
const CONSOLE_LOGGER = {
  error: (fields, message) => console.error(`[server] ${message}:`, fields),
  warn: (fields, message) => console.warn(`[server] ${message}:`, fields),
  info: () => {},
};
const NO_OPERATIONS = {
  logger: CONSOLE_LOGGER,
  requestStarted() {},
  requestFinished() {},
  startDraining() {},
  async closeDatabases() {},
};

/** The app's hooks (app/ops/operations.server.ts), exported by its entry module. */
export const operationsOf = (build) => build.entry?.module?.operations ?? NO_OPERATIONS;

/** A node:http handler for the direct routes; resolves false when no direct route matches. */
export function createDirectHandler(build, origin) {
  const match = directRoutes(build);
  const { logger } = operationsOf(build);
  return async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const found = match(url.pathname);
    if (!found) return false;
    res[ROUTE] = found.route.label;
    const method = req.method ?? "GET";
    try {
      const hasBody = !(method === "GET" || method === "HEAD" || method === "OPTIONS");
      const api = url.pathname.toLowerCase().startsWith("/api/");
      const limit = api ? MAX_API_BODY : MAX_DIRECT_BODY;
      const body = hasBody ? await readBody(req, limit) : undefined;
      const headers = toHeaders(req.rawHeaders);
      headers.set("x-convot-peer", peerOf(req));
      // The id createHttpServer settled on, not the client's raw header (which may be absent or insane).
      if (req.headers["x-request-id"]) headers.set("x-request-id", req.headers["x-request-id"]);
      // A client that goes away (a page navigation during a long-poll) aborts a loader's request.
      // Only a loader's: a write that has begun finishes even if its client leaves, and a
      // Request that follows a signal keeps it, a listener and a WeakRef alive until a full GC
      // (undici's finalizer), ~130k of them in the heap under the bench's identify load.
      let signal;
      if (!hasBody) {
        const controller = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) controller.abort();
        });
        signal = controller.signal;
      }
      // The JSON API reads its body only through readJson (app/http/api.server.ts), which takes
      // the Buffer as is: a web stream for it would cost half as much as the Request itself.
      const request = new Request(url, { method, headers, body: api ? undefined : body, signal });
      if (body) request[RAW_BODY] = body;
      const work = runDirect(found, request, logger);
      req[WORK] = work;
      await send(res, await work, method);
    } catch (error) {
      if (error?.status === 413) {
        const tooLarge = { error: { code: "payload_too_large", message: "the request body is too large" } };
        await send(res, Response.json(tooLarge, { status: 413 }), method);
      } else {
        logger.error({ err: error, requestId: req.headers["x-request-id"], method, path: url.pathname }, "request failed");
        if (!res.headersSent) await send(res, new Response("Unexpected Server Error", { status: 500 }), method);
      }
    }
    return true;
  };
}

/** The whole server for a build: direct routes first, then static files and Remix. */
export function createHttpServer(build, origin) {
  const direct = createDirectHandler(build, origin);
  const operations = operationsOf(build);
  const labelOf = routeLabels(build);
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.use(limitPageBody);
  const remix = createRequestHandler({ build, mode: process.env.NODE_ENV });
  app.all("*", (req, res, next) => {
    req[WORK] = remix(req, res, next);
  });

  /** Responses not yet finished: a draining server tells their clients it closes the connection. */
  const open = new Set();
  /** Requests not yet done: the response closed and the handler, if one started, returned. */
  const pending = new Set();
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
    let closed;
    const done = new Promise((resolve) => (closed = resolve)).then(() => req[WORK]).then(
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
        route: res[ROUTE] ?? (req[WORK] ? labelOf(path) : "static"),
        status: res.statusCode,
        ms: performance.now() - started,
        completed: res.writableFinished,
      });
    });
    direct(req, res).then(
      (handled) => handled || app(req, res),
      (error) => {
        operations.logger.error({ err: error, requestId }, "request failed");
        res.statusCode = 500;
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  server.draining = false;

  /**
   * Drains the server (SIGTERM): stops accepting connections, answers waiting long-polls at once
   * (the app's drain signal) and closes idle keep-alive connections; lets in-flight requests
   * finish for up to `graceMs`, then cuts what is left; closes the app's database pools.
   * Resolves with how many requests were cut.
   */
  server.drain = async (graceMs = DRAIN_GRACE_MS) => {
    server.draining = true;
    for (const res of open) if (!res.headersSent) res.setHeader("Connection", "close");
    operations.startDraining();
    server.close();
    server.closeIdleConnections();
    const deadline = performance.now() + graceMs;
    // (Requests may still arrive on connections that were busy: they join the wait.)
    while (pending.size && performance.now() < deadline) {
      let timer;
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

async function main() {
  const root = path.dirname(new URL(import.meta.url).pathname);
  const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);
  const { logger } = operationsOf(build);
  const port = Number(process.env.PORT ?? 3000);
  const server = createHttpServer(build, `http://localhost:${port}`);
  server.once("error", (error) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`✗ Port ${port} is in use (another server?). Stop it, or run on another port: PORT=3100 npm run demo`);
    process.exit(1);
  });
  server.listen(port, () => logger.info({ port }, `Convot for Shopify on http://localhost:${port}`));
  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    const started = performance.now();
    // Whatever hangs, the process is gone within 5 s of the signal.
    setTimeout(() => {
      logger.error({ signal }, "still draining after 5 s: exiting anyway");
      process.exit(1);
    }, 5_000).unref();
    logger.info({ signal }, "draining");
    const cut = await server.drain();
    logger.info({ signal, ms: Math.round(performance.now() - started), cut }, "stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
