// Short-lived signed identity tokens: carry a verified contact from the widget to the app's
// help center (?convot_identity=…). Signed with the app's identity secret; refused when
// tampered with, expired, or minted for another app.
import { createHmac, timingSafeEqual } from "node:crypto";

export const IDENTITY_TOKEN_TTL_SECONDS = 600;

type Claims = { app: string; sub: number; exp: number };

const b64 = (value: string | Buffer) => Buffer.from(value).toString("base64url");
// A key of its own, derived from the identity secret: a token's signature must never equal a
// user_hash (same secret, same HMAC) that an app signs for an identifier a user chose.
const tokenKey = (secret: string) => createHmac("sha256", secret).update("convot-identity-token/v1").digest();
const sign = (secret: string, payload: string) => createHmac("sha256", tokenKey(secret)).update(payload).digest("base64url");

export function signIdentityToken(app: { publicKey: string; identitySecret: string }, contactId: number, now = Date.now()): string {
  const payload = b64(JSON.stringify({ app: app.publicKey, sub: contactId, exp: Math.floor(now / 1000) + IDENTITY_TOKEN_TTL_SECONDS }));
  return `${payload}.${sign(app.identitySecret, payload)}`;
}

export type TokenCheck = { ok: true; contactId: number } | { ok: false; reason: "malformed" | "bad_signature" | "expired" | "other_app" };

export function verifyIdentityToken(app: { publicKey: string; identitySecret: string }, token: string, now = Date.now()): TokenCheck {
  const [payload, signature, extra] = token.split(".");
  if (!payload || !signature || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = Buffer.from(sign(app.identitySecret, payload));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "bad_signature" };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (claims.app !== app.publicKey) return { ok: false, reason: "other_app" };
  if (!Number.isFinite(claims.exp) || claims.exp * 1000 < now) return { ok: false, reason: "expired" };
  return { ok: true, contactId: Number(claims.sub) };
}
