// Rate limits for the public widget endpoints, per client address and per app, counted where
// every instance sees them: the seam's rate limiters (rows of "RateLimit" on PostgreSQL, the
// process's memory on SQLite). Over the limit is 429 with Retry-After, before any work is done
// (docs/decisions/021).
import { RateLimitedError } from "../errors";
import { sql } from "../db.server";
import { RateLimiterRes } from "../db/rate-limiter.server";
import { env } from "../env.server";
import { LeasedAllowance } from "./allowance-leases";

/** A sustained rate and the burst a client may spend at once. */
export type Allowance = { perSecond: number; burst: number };
export type Policy = { ip: Allowance; app: Allowance };

export const POLICIES = {
  // Reading state, identifying, starting a session: a page load does a few of these.
  read: { ip: { perSecond: 10, burst: 120 }, app: { perSecond: env.APP_READ_RATE_LIMIT, burst: 2 * env.APP_READ_RATE_LIMIT } },
  // Writing a message: a person types, a script floods.
  write: { ip: { perSecond: 0.5, burst: 20 }, app: { perSecond: 100, burst: 500 } },
} satisfies Record<string, Policy>;
export type PolicyName = keyof typeof POLICIES;

/**
 * The library's fixed window for an allowance: the burst, once per the time the rate takes to
 * earn it back. The same burst and the same rate over any longer stretch; the window refills at
 * its end rather than bit by bit.
 */
export function allowanceWindow(allowance: Allowance): { points: number; duration: number } {
  return { points: allowance.burst, duration: Math.max(1, Math.ceil(allowance.burst / allowance.perSecond)) };
}

/** An app's allowance is taken from the shared count in leases of this share of its window. */
const APP_LEASE_SHARE = 0.01;

const limiters = new Map<string, { consume(key: string): Promise<unknown> }>();

function limiterFor(name: PolicyName, scope: keyof Policy) {
  const id = `widget:${name}:${scope}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    const window = allowanceWindow(POLICIES[name][scope]);
    // Points are never given back, so a key that has spent its window is refused from this
    // instance's memory until the window ends: a flood costs no database round trip per request.
    const shared = sql.rateLimiter({ name: id, ...window, blockDuration: 0, blockInMemory: true });
    // A client's allowance is its own row; an app's is one row that all its visitors spend.
    limiter = scope === "app" ? new LeasedAllowance(shared, Math.max(1, Math.floor(window.points * APP_LEASE_SHARE))) : shared;
    limiters.set(id, limiter);
  }
  return limiter;
}

async function spend(limiter: { consume(key: string): Promise<unknown> }, key: string, what: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    // Anything else is the store failing: the request fails rather than going uncounted.
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    throw new RateLimitedError(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)), what);
  }
}

/**
 * The client's address: the socket peer the server records (X-Convot-Peer, which it always
 * overwrites), or behind a trusted proxy the last X-Forwarded-For hop.
 */
export function clientIp(request: Request): string {
  if (env.TRUST_PROXY) {
    const forwarded = request.headers.get("x-forwarded-for");
    const last = forwarded?.split(",").pop()?.trim();
    if (last) return last;
  }
  return request.headers.get("x-convot-peer") ?? "unknown";
}

/** The key a client address counts under: an IPv6 client holds a whole /64, so it counts as one. */
export function clientKey(ip: string): string {
  const address = ip.replace(/^::ffff:(?=\d+\.)/i, "").split("%")[0];
  if (!address.includes(":")) return address;
  const [head, tail] = address.split("::");
  const left = head ? head.split(":") : [];
  const right = tail === undefined ? [] : tail ? tail.split(":") : [];
  const groups = tail === undefined ? left : [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (Number.parseInt(g, 16) || 0).toString(16))
    .join(":")}::/64`;
}

/** Per client address: rejects with 429 when it is over the policy's limit. */
export function limitClient(request: Request, name: PolicyName): Promise<void> {
  return spend(limiterFor(name, "ip"), clientKey(clientIp(request)), "from this address");
}

/** Per app (charge it only once the request is known to be for that app): 429 when over. */
export function limitApp(appKey: string, name: PolicyName): Promise<void> {
  return spend(limiterFor(name, "app"), appKey, "for this app");
}
