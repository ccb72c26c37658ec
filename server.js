// The production HTTP server. JSON API and webhook requests go straight to their Remix route
// module (the same loader/action code, minus Remix's per-request route matching and the
// Express middleware stack); every other request — pages, assets — goes through Remix as usual.
// Why: docs/decisions/004-direct-dispatch-for-api-routes.md.
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import compression from "compression";
import express from "express";
import morgan from "morgan";

/** Route-id prefixes whose resource routes are dispatched directly. */
const DIRECT_PREFIXES = ["api/", "webhooks/", "proxy/"];
/** Larger bodies are refused before they are read: the JSON API takes 64 KB, Shopify's webhooks more. */
const MAX_DIRECT_BODY = 5 * 1024 * 1024;
const MAX_API_BODY = 64 * 1024;

/** @param {import("@remix-run/node").ServerBuild} build */
export function directRoutes(build) {
  const routes = build.routes;
  const fullPath = (id) => {
    const parts = [];
    for (let route = routes[id]; route; route = routes[route.parentId]) if (route.path) parts.unshift(route.path);
    return parts.join("/");
  };
  const table = [];
  for (const [id, route] of Object.entries(routes)) {
    const mod = route.module;
    if (mod.default || route.index || !(mod.loader || mod.action)) continue;
    const pattern = fullPath(id);
    if (!DIRECT_PREFIXES.some((prefix) => pattern.startsWith(prefix))) continue;
    const names = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (segment === "*") return names.push("*"), "(.*)";
        if (segment.startsWith(":")) return names.push(segment.slice(1)), "([^/]+)";
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    table.push({ id, module: mod, names, regex: new RegExp(`^/${source}/?$`, "i"), dynamic: names.length });
  }
  // Static routes win over dynamic ones, as in Remix's ranking.
  table.sort((a, b) => a.dynamic - b.dynamic);
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
export async function runDirect(found, request) {
  const isLoader = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS";
  const handler = isLoader ? found.route.module.loader : found.route.module.action;
  if (!handler) return new Response(null, { status: 405 });
  try {
    const result = await handler({ request, params: found.params, context: {} });
    return result instanceof Response ? result : Response.json(result ?? null);
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    console.error(`[server] ${request.method} ${new URL(request.url).pathname} (${found.route.id}) failed:`, thrown);
    return new Response("Unexpected Server Error", { status: 500 });
  }
}

/** A node:http handler for the direct routes; resolves false when no direct route matches. */
export function createDirectHandler(build, origin) {
  const match = directRoutes(build);
  return async (req, res) => {
    const url = new URL(req.url ?? "/", origin);
    const found = match(url.pathname);
    if (!found) return false;
    const method = req.method ?? "GET";
    try {
      const hasBody = !(method === "GET" || method === "HEAD" || method === "OPTIONS");
      const api = url.pathname.toLowerCase().startsWith("/api/");
      const limit = api ? MAX_API_BODY : MAX_DIRECT_BODY;
      const body = hasBody ? await readBody(req, limit) : undefined;
      const headers = toHeaders(req.rawHeaders);
      headers.set("x-convot-peer", peerOf(req));
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
      await send(res, await runDirect(found, request), method);
    } catch (error) {
      if (error?.status === 413) {
        const tooLarge = { error: { code: "payload_too_large", message: "the request body is too large" } };
        await send(res, Response.json(tooLarge, { status: 413 }), method);
      } else {
        console.error(`[server] ${method} ${url.pathname} failed:`, error);
        if (!res.headersSent) await send(res, new Response("Unexpected Server Error", { status: 500 }), method);
      }
    }
    return true;
  };
}

/** The whole server for a build: direct routes first, then static files and Remix. */
export function createHttpServer(build, origin) {
  const direct = createDirectHandler(build, origin);
  const app = express();
  app.disable("x-powered-by");
  app.use(compression());
  app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  if (process.env.NODE_ENV !== "test") app.use(morgan("tiny"));
  app.use(limitPageBody);
  app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));

  const server = http.createServer((req, res) => {
    // Requests Remix serves read the same header (a path Remix matches but the direct table
    // does not, such as a differently cased one, must not carry a client-chosen peer).
    req.headers["x-convot-peer"] = peerOf(req);
    direct(req, res).then(
      (handled) => handled || app(req, res),
      (error) => {
        console.error("[server]", error);
        res.statusCode = 500;
        res.end();
      },
    );
  });
  server.keepAliveTimeout = 65_000;
  return server;
}

async function main() {
  const root = path.dirname(new URL(import.meta.url).pathname);
  const build = await import(pathToFileURL(path.join(root, "build/index.js")).href);
  const port = Number(process.env.PORT ?? 3000);
  const server = createHttpServer(build, `http://localhost:${port}`);
  server.once("error", (error) => {
    if (error.code !== "EADDRINUSE") throw error;
    console.error(`✗ Port ${port} is in use (another server?). Stop it, or run on another port: PORT=3100 npm run demo`);
    process.exit(1);
  });
  server.listen(port, () => console.log(`[server] Convot for Shopify on http://localhost:${port}`));
  const shutdown = () => server.close(() => process.exit(0));
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
