// How large a request body may be, and how a body the server has read reaches a route. Both the
// Remix build and server/ (run by Node's type stripping) load this file, so it imports nothing.

/** The JSON API's limit (readJson checks it again for requests that reach a route another way). */
export const MAX_API_BODY_BYTES = 64 * 1024;
/** Other directly dispatched routes' limit: Shopify's webhook payloads are larger than any API request. */
export const MAX_DIRECT_BODY_BYTES = 5 * 1024 * 1024;
/** Pages' limit (Remix's forms): a sign-in or settings form is a few hundred bytes. */
export const MAX_PAGE_BODY_BYTES = 1024 * 1024;

/**
 * The server hands a direct route's body over as a Buffer under this key, and sends a JSON
 * answer's text from it: web streams cost more than the rest of a small request (ADR 036).
 * A registered symbol, because the server and the build each load their own copy of this file.
 */
export const RAW_BODY = Symbol.for("convot.rawBody");
export type WithRawBody = { [RAW_BODY]?: Buffer | string };
