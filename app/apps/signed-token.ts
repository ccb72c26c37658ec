// Compact tokens signed with an app's identity secret: `v2.<base64url JSON claims>.<signature>`.
// Each kind of token (`purpose`) signs with its own key, derived from the secret by HKDF with a
// salt of its own: nothing the app's server signs for a user (a user_hash is HMAC(secret, id))
// can reproduce such a key, and one kind's signature never validates as another's (ADR 016).
import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

export type SigningApp = { publicKey: string; identitySecret: string };
export type TokenFailure = "malformed" | "bad_signature" | "expired" | "other_app";
export type Verified<T> = { ok: true; claims: T & { app: string; exp: number } } | { ok: false; reason: TokenFailure };

/** The format every token starts with; anything else (the unversioned format before it included) is malformed. */
const VERSION = "v2";
/** HKDF's salt: separates token keys from every other use of the identity secret. */
const KEY_SALT = "convot/signed-token/v2";

export const VISITOR_TOKEN_PURPOSE = "convot-visitor-token";
export const IDENTITY_TOKEN_PURPOSE = "convot-identity-token";
export const TOKEN_PURPOSES = [VISITOR_TOKEN_PURPOSE, IDENTITY_TOKEN_PURPOSE] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

// One key per (secret, purpose), derived once: every widget call signs or verifies a token.
const derivedKeys = new Map<string, Buffer>();
function derivedKey(secret: string, purpose: TokenPurpose): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = derivedKeys.get(id);
  if (!key) {
    if (derivedKeys.size >= 1000) derivedKeys.clear();
    key = Buffer.from(hkdfSync("sha256", Buffer.from(secret, "utf8"), KEY_SALT, `convot token key: ${purpose}`, 32));
    derivedKeys.set(id, key);
  }
  return key;
}
// The signature covers the version too: a token cannot be re-labelled as another format.
const sign = (secret: string, purpose: TokenPurpose, payload: string) =>
  createHmac("sha256", derivedKey(secret, purpose)).update(`${VERSION}.${payload}`).digest("base64url");

export function signToken(app: SigningApp, purpose: TokenPurpose, claims: Record<string, unknown>, ttlSeconds: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, app: app.publicKey, exp: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${VERSION}.${payload}.${sign(app.identitySecret, purpose, payload)}`;
}

/**
 * The app a token claims to be from, before anything is verified: it says whose secret to
 * check the token with, and nothing else may be believed until `verifyToken` has.
 */
export function claimedApp(token: string): string | null {
  const [version, payload] = token.split(".");
  if (version !== VERSION || !payload) return null;
  try {
    const app = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"))?.app;
    return typeof app === "string" && /^app_[A-Za-z0-9]{1,64}$/.test(app) ? app : null;
  } catch {
    return null;
  }
}

export function verifyToken<T>(app: SigningApp, purpose: TokenPurpose, token: string, now = Date.now()): Verified<T> {
  const [version, payload, signature, extra] = token.split(".");
  if (version !== VERSION || !payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(app.identitySecret, purpose, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  let claims: T & { app: string; exp: number };
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (!claims || typeof claims !== "object") return { ok: false, reason: "malformed" };
  if (claims.app !== app.publicKey) return { ok: false, reason: "other_app" };
  if (!Number.isFinite(claims.exp) || claims.exp * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
