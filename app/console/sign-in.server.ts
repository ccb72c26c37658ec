// Signing in to the console: count the try against the guessing limits, check the credentials,
// open a session (docs/decisions/014).
import { createHash } from "node:crypto";
import { sql } from "../db.server";
import { RateLimiterRes, type RateLimiterAbstract } from "../db/rate-limiter.server";
import { checkOperatorPassword, createConsoleSession, normalizeEmail } from "./operators.server";
import { SIGN_IN_LIMITS } from "./sign-in-limits";

const limiter = (name: string, limit: { failures: number; perSeconds: number; lockSeconds: number }) =>
  sql.rateLimiter({ name, points: limit.failures, duration: limit.perSeconds, blockDuration: limit.lockSeconds });

const limiters = {
  address: limiter("sign-in:address", SIGN_IN_LIMITS.address),
  accountAtAddress: limiter("sign-in:account-at-address", SIGN_IN_LIMITS.accountAtAddress),
  account: limiter("sign-in:account", SIGN_IN_LIMITS.account),
};

const WRONG_CREDENTIALS = "That email and password do not match.";

export type SignInResult = { ok: true; sessionId: string } | { ok: false; message: string };

/**
 * Signs in from `address` (a client key, app/http/rate-limit.server.ts). The try is counted
 * before the password is checked, each count one atomic change, and a try that takes a key over
 * its limit checks nothing: concurrent guesses get at most the limit's checks between them.
 * Keys are the email as typed, operator or not, so an unknown email is answered as a known one.
 */
export async function signIn(email: string, password: string, address: string): Promise<SignInResult> {
  // A digest: a bounded key, and no stored copy of what someone typed as an email.
  const account = createHash("sha256").update(normalizeEmail(email)).digest("base64url");
  const accountAtAddress = `${account} ${address}`;
  // In this order: an address over its own limit counts nowhere else, and a locked
  // (email, address) does not count against the email everywhere, so one address cannot lock
  // an operator out at the others.
  const waitMs =
    (await countTry(limiters.address, address)) ??
    (await countTry(limiters.accountAtAddress, accountAtAddress)) ??
    (await countTry(limiters.account, account));
  if (waitMs !== null) return { ok: false, message: `Too many failed attempts: try again in ${duration(waitMs)}.` };

  const operator = await checkOperatorPassword(email, password);
  if (!operator) return { ok: false, message: WRONG_CREDENTIALS };
  // The limits count failures: a success gives its try back, and ends the run of consecutive
  // failures from this address (not the email's count from everywhere, which an attacker's
  // other addresses may be building up).
  await Promise.all([limiters.address.reward(address), limiters.account.reward(account), limiters.accountAtAddress.delete(accountAtAddress)]);
  return { ok: true, sessionId: (await createConsoleSession(operator.id)).id };
}

/** Counts one try: null while the key is within its limit, else the milliseconds until it may try again. */
async function countTry(limiter: RateLimiterAbstract, key: string): Promise<number | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    // Anything else is the store failing: no sign-in without a count.
    if (rejection instanceof RateLimiterRes) return rejection.msBeforeNext;
    throw rejection;
  }
}

function duration(ms: number): string {
  const minutes = Math.max(1, Math.ceil(ms / 60_000));
  if (minutes < 120) return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  return `${Math.ceil(minutes / 60)} hours`;
}
