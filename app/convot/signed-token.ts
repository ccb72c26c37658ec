// Compact tokens signed with an app's identity secret: `<base64url JSON claims>.<signature>`.
// Each kind of token signs with its own key derived from the secret (by `purpose`), so one
// kind's signature never validates as another's, nor equals a user_hash the app computes.
import { createHmac, timingSafeEqual } from "node:crypto";

export type SigningApp = { publicKey: string; identitySecret: string };
export type TokenFailure = "malformed" | "bad_signature" | "expired" | "other_app";
export type Verified<T> = { ok: true; claims: T & { app: string; exp: number } } | { ok: false; reason: TokenFailure };

// One key per (secret, purpose), derived once: every widget call signs or verifies a token.
const derivedKeys = new Map<string, Buffer>();
function derivedKey(secret: string, purpose: string): Buffer {
  const id = `${purpose}\0${secret}`;
  let key = derivedKeys.get(id);
  if (!key) {
    if (derivedKeys.size >= 1000) derivedKeys.clear();
    key = createHmac("sha256", secret).update(purpose).digest();
    derivedKeys.set(id, key);
  }
  return key;
}
const sign = (secret: string, purpose: string, payload: string) => createHmac("sha256", derivedKey(secret, purpose)).update(payload).digest("base64url");

export function signToken(app: SigningApp, purpose: string, claims: Record<string, unknown>, ttlSeconds: number, now = Date.now()): string {
  const payload = Buffer.from(JSON.stringify({ ...claims, app: app.publicKey, exp: Math.floor(now / 1000) + ttlSeconds })).toString("base64url");
  return `${payload}.${sign(app.identitySecret, purpose, payload)}`;
}

export function verifyToken<T>(app: SigningApp, purpose: string, token: string, now = Date.now()): Verified<T> {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
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
