// Calls the app the way Shopify, the widget and API clients do: HTTP requests through
// the real Remix server build (loaders, actions, entry.server), without a socket.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { directRequest, methodHasBody } from "../../server/direct.ts";
import { directRoutes, runDirect } from "../../server/routes.ts";
import { ROOT } from "./database";

const APP_ORIGIN = "http://localhost:3000";
let clients = 0;
let handler: ((request: Request) => Promise<Response>) | undefined;

// The server's dispatch: API and webhook routes directly, with their body handed over as the
// server hands it (directRequest); everything else via Remix.
async function getHandler() {
  if (!handler) {
    const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
    const matchDirect = directRoutes(build);
    const remix = createRequestHandler(build, "production");
    handler = async (request) => {
      const url = new URL(request.url);
      const found = matchDirect(url.pathname);
      if (!found) return remix(request);
      const body = methodHasBody(request.method) ? Buffer.from(await request.arrayBuffer()) : undefined;
      return runDirect(found, directRequest(url, request.method, request.headers, body));
    };
  }
  return handler;
}

export async function request(pathname: string, init: RequestInit = {}): Promise<Response> {
  // Browsers and Shopify always send Host; Remix compares it with Origin on form posts.
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", new URL(APP_ORIGIN).host);
  // The server records the socket's peer for rate limits; here every request is a new client
  // unless a test names one (the rate-limit tests do).
  if (!headers.has("x-convot-peer")) headers.set("x-convot-peer", `test-client-${++clients}`);
  return (await getHandler())(new Request(new URL(pathname, APP_ORIGIN), { ...init, headers }));
}

/** The app's own database handles (the same module instances the build uses). */
export async function db() {
  await getHandler();
  return import("../../app/db.server");
}
