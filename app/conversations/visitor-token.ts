// The widget visitor's credential for its own conversations. Every visitor gets an anonymous
// one (a random visitor id); a verified identify adds the contact it proved (`sub`). The
// widget keeps the anonymous token across page loads and the identified one for the page only.
// Each token names the page origin it was issued for (`host`): a session started on another
// host does not accept it (docs/decisions/015).
import { randomUUID } from "node:crypto";
import { signToken, verifyToken, VISITOR_TOKEN_PURPOSE as PURPOSE, type SigningApp } from "../apps/signed-token";
/** Renewed on every widget session, so an active visitor never loses their history. */
export const VISITOR_TOKEN_TTL_SECONDS = 60 * 60 * 24 * 90;
/** An identified token lives as long as a page: identify runs again on the next one. */
export const IDENTIFIED_TOKEN_TTL_SECONDS = 60 * 60 * 12;

/** `host`: the origin of the page the widget ran on when the token was issued. */
export type Visitor = { visitorId: string; contactId: number | null; host: string };

export function newVisitor(host: string): Visitor {
  return { visitorId: randomUUID(), contactId: null, host };
}

export function signVisitorToken(app: SigningApp, visitor: Visitor, now = Date.now()): string {
  const claims: Record<string, unknown> = { vid: visitor.visitorId, host: visitor.host };
  if (visitor.contactId !== null) claims.sub = visitor.contactId;
  return signToken(app, PURPOSE, claims, visitor.contactId === null ? VISITOR_TOKEN_TTL_SECONDS : IDENTIFIED_TOKEN_TTL_SECONDS, now);
}

/**
 * The visitor a token names, or null for a missing, forged, expired or other app's token, one
 * issued before tokens named their host, and, when `host` is given, one issued for another host.
 */
export function readVisitorToken(app: SigningApp, token: unknown, options: { host?: string; now?: number } = {}): Visitor | null {
  if (typeof token !== "string" || token.length > 1000) return null;
  const result = verifyToken<{ vid?: unknown; sub?: unknown; host?: unknown }>(app, PURPOSE, token, options.now ?? Date.now());
  if (!result.ok || typeof result.claims.vid !== "string" || typeof result.claims.host !== "string") return null;
  if (options.host !== undefined && result.claims.host !== options.host) return null;
  const sub = result.claims.sub;
  return { visitorId: result.claims.vid, contactId: typeof sub === "number" && Number.isSafeInteger(sub) ? sub : null, host: result.claims.host };
}
