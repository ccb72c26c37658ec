// Which route a request path names: the API, webhook and app-proxy resource routes the server
// runs directly (ADR 035), and a bounded label for every request's log line and metrics.
import { CONSOLE_LOGGER, type Logger, type RouteModule, type Routes } from "./build.ts";

/** Route paths whose resource routes are dispatched directly: those under a prefix ("…/"), and exact ones. */
const DIRECT_PREFIXES = ["api/", "webhooks/", "proxy/", "healthz", "readyz", "metrics"];

const isDirect = (pattern: string) => DIRECT_PREFIXES.some((prefix) => (prefix.endsWith("/") ? pattern.startsWith(prefix) : pattern === prefix));

export type RouteEntry = { id: string; module: RouteModule; names: string[]; regex: RegExp; dynamic: number; label: string };
export type DirectMatch = { route: Pick<RouteEntry, "id" | "label" | "module">; params: Record<string, string> };

/** The direct route a path names, or null when none does (Remix serves it). */
export function directRoutes(build: { routes: Routes }): (pathname: string) => DirectMatch | null {
  const table = routeTable(
    build.routes,
    (route, pattern) => !route.module.default && !route.index && !!(route.module.loader || route.module.action) && isDirect(pattern),
  );
  return (pathname) => {
    for (const route of table) {
      const match = route.regex.exec(pathname);
      if (!match) continue;
      const params: Record<string, string> = {};
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

const notFound = () => Response.json({ error: { code: "not_found", message: "not found: the path is not valid percent-encoding" } }, { status: 404 });

/** A direct route's stand-in for a path that cannot be decoded: the API's 404 envelope. */
const NOT_FOUND_ROUTE: DirectMatch["route"] = { id: "not-found", label: "unmatched", module: { loader: notFound, action: notFound } };

/**
 * The route pattern of a request Remix served, for logs and metrics (/console/apps/:appId): the
 * most specific route whose full path matches, else "unmatched" — a bounded set of labels
 * whatever URLs clients send.
 */
export function routeLabels(build: { routes: Routes }): (pathname: string) => string {
  const table = routeTable(build.routes, () => true);
  return (pathname) => table.find((route) => route.regex.test(pathname))?.label ?? "unmatched";
}

/** The build's routes with their full path as a case-insensitive regex, static ones first (as Remix ranks them). */
function routeTable(routes: Routes, accept: (route: Routes[string], pattern: string) => boolean): RouteEntry[] {
  const fullPath = (id: string) => {
    const parts: string[] = [];
    for (let route = routes[id]; route; route = routes[route.parentId ?? ""]) if (route.path) parts.unshift(route.path);
    return parts.join("/");
  };
  const table: RouteEntry[] = [];
  for (const [id, route] of Object.entries(routes)) {
    const pattern = fullPath(id);
    if (!accept(route, pattern)) continue;
    const names: string[] = [];
    const source = pattern
      .split("/")
      .map((segment) => {
        if (segment === "*") return (names.push("*"), "(.*)");
        if (segment.startsWith(":")) return (names.push(segment.slice(1)), "([^/]+)");
        return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      })
      .join("/");
    table.push({ id, module: route.module, names, regex: new RegExp(`^/${source}/?$`, "i"), dynamic: names.length, label: `/${pattern}` });
  }
  return table.sort((a, b) => a.dynamic - b.dynamic);
}

/**
 * Runs a directly dispatched route the way Remix runs a resource route: GET/HEAD/OPTIONS →
 * loader, other methods → action; a thrown Response is the response; any other throw is
 * logged and becomes a 500.
 */
export async function runDirect(found: DirectMatch, request: Request, logger: Logger = CONSOLE_LOGGER): Promise<Response> {
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
