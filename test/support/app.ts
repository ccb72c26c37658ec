// Calls the app the way Shopify, the widget and API clients do: HTTP requests through
// the real Remix server build (loaders, actions, entry.server), without a socket.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { ROOT } from "./database";

const APP_ORIGIN = "http://localhost:3000";
const RAW_BODY = Symbol.for("convot.rawBody");
let clients = 0;
let handler: ((request: Request) => Promise<Response>) | undefined;

// The same dispatch as server.js: API and webhook routes directly, everything else via Remix.
async function getHandler() {
  if (!handler) {
    const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
    const { directRoutes, runDirect } = await import(pathToFileURL(path.join(ROOT, "server.js")).href);
    const matchDirect = directRoutes(build);
    const remix = createRequestHandler(build, "production");
    handler = async (request) => {
      const found = matchDirect(new URL(request.url).pathname);
      return found ? runDirect(found, request) : remix(request);
    };
  }
  return handler;
}

export async function request(pathname: string, init: RequestInit = {}): Promise<Response> {
  // Browsers and Shopify always send Host; Remix compares it with Origin on form posts.
  const headers = new Headers(init.headers);
  if (!headers.has("host")) headers.set("host", new URL(APP_ORIGIN).host);
  // server.js records the socket's peer for rate limits; here every request is a new client
  // unless a test names one (the rate-limit tests do).
  if (!headers.has("x-convot-peer")) headers.set("x-convot-peer", `test-client-${++clients}`);
  const url = new URL(pathname, APP_ORIGIN);
  // As server.js does: a JSON API route gets its body, whatever its type, only as the Buffer readJson reads.
  if (url.pathname.toLowerCase().startsWith("/api/") && init.body != null) {
    const serialized = new Request(url, { ...init, headers });
    const request = new Request(url, { ...init, body: undefined, headers: serialized.headers });
    (request as Request & { [RAW_BODY]?: Buffer })[RAW_BODY] = Buffer.from(await serialized.arrayBuffer());
    return (await getHandler())(request);
  }
  return (await getHandler())(new Request(url, { ...init, headers }));
}

/** The app's own database handles (the same module instances the build uses). */
export async function db() {
  await getHandler();
  return import("../../app/db.server");
}
