// The JSON API's HTTP conventions: the error envelope, body limits, API-key authentication,
// pagination. Routes call `apiRoute` and stay a few lines long.
import { findAppById, type ConvotApp } from "../apps/apps.server";
import { authenticateApiKey, type Scope } from "../apps/api-keys.server";
import { ConvotError, RateLimitedError, invalid, type ErrorCode, type ErrorDetail } from "../errors";
import { containsNul, NUL_MESSAGE, parsePathId } from "../contacts/validation";
import { isForeignKeyViolation } from "../db/sql.server";
import { logger, requestIdOf } from "../ops/log.server";
import { requireWholeNumbers } from "./query-numbers";
import { MAX_API_BODY_BYTES, RAW_BODY, type WithRawBody } from "./request-body";

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  identity_verification_required: 403,
  not_found: 404,
  payload_too_large: 413,
  unprocessable_entity: 422,
  rate_limited: 429,
};

/** A JSON answer; the server sends it from its text (RAW_BODY), without reading its stream. */
export function json(data: unknown, status = 200, headers: HeadersInit = {}): Response {
  const text = JSON.stringify(data);
  const response = new Response(text, {
    status,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
  (response as WithRawBody)[RAW_BODY] = text;
  return response;
}

export function errorResponse(code: ErrorCode, message: string, details?: ErrorDetail[], headers: HeadersInit = {}): Response {
  return json({ error: { code, message, ...(details?.length ? { details } : {}) } }, STATUS[code], headers);
}

/** Reads a JSON body of at most MAX_API_BODY_BYTES, counting what actually arrives. */
export async function readJson(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_API_BODY_BYTES) throw tooLarge();
  const type = request.headers.get("content-type") ?? "";
  if (type && !/^application\/(.+\+)?json\b/i.test(type)) {
    throw new ConvotError("bad_request", `send JSON with Content-Type: application/json (got ${type.split(";")[0]})`);
  }
  const text = await readLimited(request);
  if (text.trim() === "") throw new ConvotError("bad_request", "the request body is empty: send a JSON object");
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (error) {
    throw new ConvotError("bad_request", `the request body is not valid JSON: ${(error as Error).message}`);
  }
  const problem = findUnstorableString(body);
  if (problem)
    throw problem.depth ? new ConvotError("bad_request", problem.message) : invalid([{ field: problem.field || "body", message: problem.message }]);
  return body;
}

/** How deep a request's JSON may nest: no field the API takes is deeper than a few levels. */
const MAX_JSON_DEPTH = 32;
// A lone UTF-16 surrogate: hashed as U+FFFD but stored as itself by SQLite, so one signature
// would cover several stored values.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first string of a JSON value that no engine should store or look up — a NUL (PostgreSQL
 * refuses it, SQLite stores it) or a lone surrogate — as a field path like `custom_data.plan` (a
 * bad key names its parent); or a nesting deeper than any field takes. Walked with a stack, so
 * no nesting can overflow it.
 */
function findUnstorableString(value: unknown): { field: string; message: string; depth?: true } | null {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: "", depth: 0 }];
  while (stack.length) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === "string") {
      if (containsNul(value)) return { field: path, message: NUL_MESSAGE };
      if (LONE_SURROGATE.test(value)) return { field: path, message: "must be well-formed Unicode (it holds a lone surrogate)" };
    } else if (value && typeof value === "object") {
      if (depth >= MAX_JSON_DEPTH) return { field: path, message: `the request body nests deeper than ${MAX_JSON_DEPTH} levels`, depth: true };
      const entries = Array.isArray(value) ? value.map((item, i) => [`[${i}]`, item] as const) : Object.entries(value);
      for (const [key, item] of entries) {
        if (!Array.isArray(value) && (containsNul(key) || LONE_SURROGATE.test(key))) {
          return { field: path, message: "keys must be well-formed Unicode without NUL characters" };
        }
        stack.push({ value: item, path: Array.isArray(value) ? `${path}${key}` : path ? `${path}.${key}` : key, depth: depth + 1 });
      }
    }
  }
  return null;
}

const tooLarge = () => new ConvotError("payload_too_large", `the request body is larger than ${MAX_API_BODY_BYTES / 1024} KB`);

async function readLimited(request: Request): Promise<string> {
  const raw = (request as WithRawBody)[RAW_BODY];
  if (Buffer.isBuffer(raw) && !request.bodyUsed) {
    if (raw.byteLength > MAX_API_BODY_BYTES) throw tooLarge();
    return raw.toString("utf8");
  }
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_API_BODY_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export type ApiContext = { app: ConvotApp; keyId: string; scopes: readonly Scope[] };

/** 403 unless the authenticated key carries `scope`. */
export function requireScope(context: { scopes: readonly Scope[] }, scope: Scope): void {
  if (!context.scopes.includes(scope)) throw new ConvotError("forbidden", `this API key lacks the ${scope} scope`);
}

/** The app a bearer API key belongs to, when the key is live and carries `scope`. */
export async function requireApiKey(request: Request, scope: Scope): Promise<ApiContext> {
  const header = request.headers.get("authorization") ?? "";
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new ConvotError("unauthorized", "send an API key: Authorization: Bearer ck_<id>:<secret>");
  const key = await authenticateApiKey(match[1]);
  if (!key) throw new ConvotError("unauthorized", "this API key is malformed, unknown or revoked");
  requireScope(key, scope);
  const app = await findAppById(key.appId);
  if (!app) throw new ConvotError("unauthorized", "this API key's app no longer exists");
  return { app, keyId: key.id, scopes: key.scopes };
}

/** ?page=&per_page=: 422 naming each that is not a whole number within its range. */
export function parsePage(url: URL): { page: number; perPage: number } {
  const { page, per_page: perPage } = requireWholeNumbers(url, {
    page: { min: 1, max: 100_000, fallback: 1 },
    per_page: { min: 1, max: 100, fallback: 25 },
  });
  return { page, perPage };
}

/** An id in a URL path: anything that cannot name a row (not a whole number, past the column's range) is 404. */
export function parseId(raw: string | undefined, what = "contact"): number {
  const id = parsePathId(raw);
  if (id === null) throw new ConvotError("not_found", `${what} not found`);
  return id;
}

/** Runs an API handler: expected failures become the error envelope; the rest are logged, then 500. */
export async function apiRoute(request: Request, handler: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  let response: Response;
  try {
    rejectNulInQuery(new URL(request.url));
    response = await handler();
  } catch (error) {
    if (error instanceof Response) response = error;
    else if (error instanceof RateLimitedError) {
      response = errorResponse(error.code, error.message, undefined, { "Retry-After": String(error.retryAfterSeconds) });
    } else if (error instanceof ConvotError) response = errorResponse(error.code, error.message, error.details);
    else if (isForeignKeyViolation(error)) {
      // What the request wrote to was deleted while it ran (looked up first, gone by the write):
      // nothing was written, as if it had arrived a moment later.
      response = errorResponse("not_found", "not found: it was deleted while this request ran");
    } else {
      logger.error(
        { err: error, requestId: requestIdOf(request), method: request.method, path: new URL(request.url).pathname },
        "api request failed",
      );
      response = json({ error: { code: "internal_error", message: "something went wrong on our side; it has been logged" } }, 500);
    }
  }
  // How long the handler took, for clients' dev tools and the bench.
  response.headers.set("Server-Timing", `app;dur=${(performance.now() - started).toFixed(2)}`);
  return response;
}

/** A query parameter holding a NUL would reach a filter's WHERE (PostgreSQL refuses it): 422 naming it. */
function rejectNulInQuery(url: URL) {
  for (const [name, value] of url.searchParams) {
    if (containsNul(name) || containsNul(value)) throw invalid([{ field: containsNul(name) ? "query" : name, message: NUL_MESSAGE }]);
  }
}

export function methodNotAllowed(allowed: string[]): Response {
  return json({ error: { code: "bad_request", message: `use ${allowed.join(" or ")} on this endpoint` } }, 405, { Allow: allowed.join(", ") });
}
