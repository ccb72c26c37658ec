// The production HTTP server (server/http-server.ts), in this test process: what the browser talks to when Shopify must
// be mocked (undici's MockAgent only reaches fetches made in this process). Call before
// anything imports the build: the app's URL is the server's own.
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { createHttpServer } from "../../server/http-server.ts";
import { ROOT } from "./database";
import { freePort } from "./server";

export type InProcessServer = { url: string; stop: () => Promise<void> };

export async function startInProcessServer(): Promise<InProcessServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  process.env.SHOPIFY_APP_URL = url;
  const build = (await import(pathToFileURL(path.join(ROOT, "build/index.js")).href)) as ServerBuild;
  const server = createHttpServer(build, url);
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * App Bridge as the Shopify admin loads it, reduced to what this app relies on: it keeps the
 * session token the admin put in the URL and adds it to the app's own fetches (Remix data
 * requests, form posts, the Inbox's live cursor). The real script comes from Shopify's CDN.
 */
export const APP_BRIDGE_STAND_IN = `(function () {
  var key = "convot-test-id-token";
  var token = new URLSearchParams(location.search).get("id_token");
  if (token) sessionStorage.setItem(key, token); else token = sessionStorage.getItem(key);
  var original = window.fetch;
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" || input instanceof URL ? String(input) : input.url, location.href);
    if (url.origin === location.origin && token) {
      init = init || {};
      var headers = new Headers(init.headers || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      init.headers = headers;
    }
    return original.call(this, input, init);
  };
  window.shopify = { idToken: function () { return Promise.resolve(token); }, config: {} };
})();`;
