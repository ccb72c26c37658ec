// Server rendering: streams HTML (whole documents for bots) and adds the headers Shopify
// requires on documents the admin embeds (CSP frame-ancestors). Also hands the server (server/) its hooks
// into the app (`operations`: log, request accounting, draining).
import { PassThrough } from "node:stream";
import type { EntryContext, HandleErrorFunction } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { booted, startUpkeep } from "./boot.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { logger, requestIdOf } from "./ops/log.server";

// Fail at start-up, not on a first request, when the configured app cannot be ensured.
await booted();
startUpkeep();

export const streamTimeout = 5000;

export default async function handleRequest(request: Request, responseStatusCode: number, responseHeaders: Headers, remixContext: EntryContext) {
  addDocumentResponseHeaders(request, responseHeaders);
  const callbackName = isbot(request.headers.get("user-agent") ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        logger.error({ err: error, requestId: requestIdOf(request), path: new URL(request.url).pathname }, "rendering failed");
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

export const handleError: HandleErrorFunction = (error, { request }) => {
  // A client that left, or an answer Remix gives itself (404 for an unknown URL, 405): no failure.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  logger.error({ err: error, requestId: requestIdOf(request), method: request.method, path: new URL(request.url).pathname }, "request failed");
};

// The server's hooks into the app: the log, request accounting, draining.
export { operations } from "./ops/operations.server";
