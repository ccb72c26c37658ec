// Short-lived signed identity tokens: carry a verified contact from the widget to the app's
// help center (?convot_identity=…). Refused when tampered with, expired, or minted for another app.
import { IDENTITY_TOKEN_PURPOSE as PURPOSE, signToken, verifyToken, type SigningApp, type TokenFailure } from "../apps/signed-token";

export const IDENTITY_TOKEN_TTL_SECONDS = 600;

export function signIdentityToken(app: SigningApp, contactId: number, now = Date.now()): string {
  return signToken(app, PURPOSE, { sub: contactId }, IDENTITY_TOKEN_TTL_SECONDS, now);
}

export type TokenCheck = { ok: true; contactId: number } | { ok: false; reason: TokenFailure };

export function verifyIdentityToken(app: SigningApp, token: string, now = Date.now()): TokenCheck {
  const result = verifyToken<{ sub: number }>(app, PURPOSE, token, now);
  return result.ok ? { ok: true, contactId: Number(result.claims.sub) } : result;
}
