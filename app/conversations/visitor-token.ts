// The widget visitor's credential for its own conversations. Every visitor gets an anonymous
// one (a random visitor id); a verified identify adds the contact it proved (`sub`). The
// widget keeps the anonymous token across page loads and the identified one for the page only.
import { randomUUID } from "node:crypto";
import { signToken, verifyToken, VISITOR_TOKEN_PURPOSE as PURPOSE, type SigningApp } from "../convot/signed-token";
/** Renewed on every widget session, so an active visitor never loses their history. */
export const VISITOR_TOKEN_TTL_SECONDS = 60 * 60 * 24 * 90;
/** An identified token lives as long as a page: identify runs again on the next one. */
export const IDENTIFIED_TOKEN_TTL_SECONDS = 60 * 60 * 12;

export type Visitor = { visitorId: string; contactId: number | null };

export function newVisitor(): Visitor {
  return { visitorId: randomUUID(), contactId: null };
}

export function signVisitorToken(app: SigningApp, visitor: Visitor, now = Date.now()): string {
  const claims = visitor.contactId === null ? { vid: visitor.visitorId } : { vid: visitor.visitorId, sub: visitor.contactId };
  return signToken(app, PURPOSE, claims, visitor.contactId === null ? VISITOR_TOKEN_TTL_SECONDS : IDENTIFIED_TOKEN_TTL_SECONDS, now);
}

/** The visitor a token names, or null for a missing, forged, expired or other app's token. */
export function readVisitorToken(app: SigningApp, token: unknown, now = Date.now()): Visitor | null {
  if (typeof token !== "string" || token.length > 1000) return null;
  const result = verifyToken<{ vid?: unknown; sub?: unknown }>(app, PURPOSE, token, now);
  if (!result.ok || typeof result.claims.vid !== "string") return null;
  const sub = result.claims.sub;
  return { visitorId: result.claims.vid, contactId: typeof sub === "number" && Number.isSafeInteger(sub) ? sub : null };
}
