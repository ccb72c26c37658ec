// The direct path (ADR 035): a request for an API, webhook or app-proxy route goes straight to its
// route module — the same loader/action code, minus Remix's per-request route matching and the
// Express middleware stack — with its body already read, up to the route's limit.
import type http from "node:http";
import { MAX_API_BODY_BYTES, MAX_DIRECT_BODY_BYTES, RAW_BODY, type WithRawBody } from "../app/http/request-body.ts";
import { operationsOf, type Routes } from "./build.ts";
import { BodyTooLargeError, peerOf, readBody, send, toHeaders } from "./node-io.ts";
import { directRoutes, runDirect } from "./routes.ts";

/** What the server keeps of a request while it runs: its route's label and the handler's work, once one runs. */
export type Exchange = { route?: string; work?: Promise<unknown> };

/** Whether a request of this method carries a body a route reads (GET, HEAD and OPTIONS do not). */
export const methodHasBody = (method: string) => !(method === "GET" || method === "HEAD" || method === "OPTIONS");

const isApiPath = (pathname: string) => pathname.toLowerCase().startsWith("/api/");

/**
 * The Request a direct route receives. The JSON API reads its body only through readJson
 * (app/http/api.server.ts), which takes the Buffer as is: a web stream for it would cost half as
 * much as the Request itself. Other routes (webhooks) get the body both ways.
 */
export function directRequest(url: URL, method: string, headers: Headers, body: Buffer<ArrayBuffer> | undefined, signal?: AbortSignal): Request {
  const request = new Request(url, { method, headers, body: isApiPath(url.pathname) ? undefined : body, signal });
  if (body) (request as WithRawBody)[RAW_BODY] = body;
  return request;
}

/** A node:http handler for the direct routes; resolves false when no direct route matches. */
export function createDirectHandler(build: { routes: Routes; entry?: unknown }, origin: string) {
  const match = directRoutes(build);
  const { logger } = operationsOf(build);
  return async (req: http.IncomingMessage, res: http.ServerResponse, exchange: Exchange = {}): Promise<boolean> => {
    const url = new URL(req.url ?? "/", origin);
    const found = match(url.pathname);
    if (!found) return false;
    exchange.route = found.route.label;
    const method = req.method ?? "GET";
    try {
      const hasBody = methodHasBody(method);
      const body = hasBody ? await readBody(req, isApiPath(url.pathname) ? MAX_API_BODY_BYTES : MAX_DIRECT_BODY_BYTES) : undefined;
      const headers = toHeaders(req.rawHeaders);
      headers.set("x-convot-peer", peerOf(req));
      // The id the server settled on, not the client's raw header (which may be absent or insane).
      const requestId = req.headers["x-request-id"];
      if (typeof requestId === "string" && requestId) headers.set("x-request-id", requestId);
      // A client that goes away (a page navigation during a long-poll) aborts a loader's request.
      // Only a loader's: a write that has begun finishes even if its client leaves, and a
      // Request that follows a signal keeps it, a listener and a WeakRef alive until a full GC
      // (undici's finalizer), ~130k of them in the heap under the bench's identify load.
      let signal: AbortSignal | undefined;
      if (!hasBody) {
        const controller = new AbortController();
        res.on("close", () => {
          if (!res.writableFinished) controller.abort();
        });
        signal = controller.signal;
      }
      const work = runDirect(found, directRequest(url, method, headers, body, signal), logger);
      exchange.work = work;
      await send(res, await work, method);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
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
