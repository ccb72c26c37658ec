// Rate limits for the public widget endpoints, per client IP and per app: token buckets in
// this process's memory (one server; see docs/decisions/006). Over the limit is 429 with
// Retry-After, before any work is done.
import { RateLimitedError } from "../convot/errors";
import { env } from "../env.server";

export type Bucket = { perSecond: number; burst: number };
export type Policy = { ip: Bucket; app: Bucket };

export const POLICIES = {
  // Reading state, identifying, starting a session: a page load does a few of these.
  read: { ip: { perSecond: 10, burst: 120 }, app: { perSecond: env.APP_READ_RATE_LIMIT, burst: 2 * env.APP_READ_RATE_LIMIT } },
  // Writing a message: a person types, a script floods.
  write: { ip: { perSecond: 0.5, burst: 20 }, app: { perSecond: 100, burst: 500 } },
} satisfies Record<string, Policy>;
export type PolicyName = keyof typeof POLICIES;

const MAX_KEYS = 100_000;

export class TokenBuckets {
  private buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes one token; the seconds to wait when there is none. */
  take(key: string, bucket: Bucket, now = Date.now()): { ok: true } | { ok: false; retryAfter: number } {
    let state = this.buckets.get(key);
    if (!state) {
      if (this.buckets.size >= MAX_KEYS) this.prune(now);
      state = { tokens: bucket.burst, at: now };
      this.buckets.set(key, state);
    } else {
      state.tokens = Math.min(bucket.burst, state.tokens + ((now - state.at) / 1000) * bucket.perSecond);
      state.at = now;
    }
    if (state.tokens >= 1) {
      state.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - state.tokens) / bucket.perSecond)) };
  }

  /** Forgets buckets idle long enough to be full again (or everything, if that is not enough). */
  private prune(now: number) {
    for (const [key, state] of this.buckets) if (now - state.at > 60_000) this.buckets.delete(key);
    if (this.buckets.size >= MAX_KEYS) this.buckets.clear();
  }

  reset() {
    this.buckets.clear();
  }
}

export const buckets = new TokenBuckets();

/**
 * The client's address: the socket peer server.js records (X-Convot-Peer, which it always
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

/** The bucket a client address falls in: an IPv6 client holds a whole /64, so it counts as one. */
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

/** Per client address: throws 429 when it is over the policy's limit. */
export function limitClient(request: Request, name: PolicyName): void {
  const result = buckets.take(`${name}:ip:${clientKey(clientIp(request))}`, POLICIES[name].ip);
  if (!result.ok) throw new RateLimitedError(result.retryAfter, "from this address");
}

/** Per app (charge it only once the request is known to be for that app): 429 when over. */
export function limitApp(appKey: string, name: PolicyName): void {
  const result = buckets.take(`${name}:app:${appKey}`, POLICIES[name].app);
  if (!result.ok) throw new RateLimitedError(result.retryAfter, "for this app");
}
