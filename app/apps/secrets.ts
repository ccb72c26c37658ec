// Key material for Convot apps and API keys, and the constant-time checks that use it.
// Pure functions: no database, no HTTP.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  // 256 is not a multiple of 62: reject the top bytes so every character is equally likely.
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export const newAppKey = () => `app_${randomBase62(24)}`;
export const newIdentitySecret = () => randomBytes(32).toString("hex");
export const newApiKeyParts = () => ({ id: randomBase62(16), secret: randomBase62(40) });

export const formatApiKeyToken = (id: string, secret: string) => `ck_${id}:${secret}`;

export function parseApiKeyToken(token: string): { id: string; secret: string } | null {
  const match = /^ck_([A-Za-z0-9]{8,64}):([A-Za-z0-9]{16,128})$/.exec(token);
  return match ? { id: match[1], secret: match[2] } : null;
}

export function sha256Hex(value: string): string {
  return createHash("sha256").update(value, "utf8").digest("hex");
}

/** Lowercase hex HMAC-SHA256 — how user_hash and shop_hash are computed. */
export function hmacHex(secret: string, message: string): string {
  return createHmac("sha256", secret).update(message, "utf8").digest("hex");
}

/** Compares two strings in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  // Compare equal-length buffers whatever the input, so a length mismatch costs the same.
  const same = timingSafeEqual(createHash("sha256").update(left).digest(), createHash("sha256").update(right).digest());
  return same && left.length === right.length;
}

/** True when `hash` is the app's signature of `message` (a user_hash or shop_hash). */
export function verifyHash(secret: string, message: string, hash: unknown): boolean {
  // The expected value is always 64 ASCII characters, so only a 64-byte candidate can match;
  // rejecting other lengths early reveals nothing about the secret.
  if (typeof hash !== "string" || hash.length !== 64) return false;
  const candidate = Buffer.from(hash, "latin1");
  return candidate.length === 64 && timingSafeEqual(Buffer.from(hmacHex(secret, message), "latin1"), candidate);
}
