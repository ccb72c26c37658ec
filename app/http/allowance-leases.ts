// An allowance counted in a shared rate limiter and handed out by this instance in leases: one
// store round trip per lease rather than per request, for allowances large and hot enough (one
// app's, spent by all its visitors at once) that a counter row updated by every request would
// be where every instance queues (docs/decisions/021).
import { RateLimiterRes, type RateLimiterAbstract } from "../db/rate-limiter.server";

type Lease = { left: number; until: number };

const MAX_LEASES = 10_000;

export class LeasedAllowance {
  private leases = new Map<string, Lease>();
  private taking = new Map<string, Promise<void>>();

  /** `leaseSize` points are taken from `limiter` at a time; what is unspent when its window ends is lost. */
  constructor(
    private limiter: RateLimiterAbstract,
    private leaseSize: number,
  ) {}

  /** Spends one point of `key`'s allowance; rejects with the limiter's RateLimiterRes when none is left this window. */
  async consume(key: string): Promise<void> {
    for (;;) {
      const lease = this.leases.get(key);
      if (lease && lease.left > 0 && lease.until > Date.now()) {
        lease.left--;
        return;
      }
      // One lease taken at a time per key: the requests that arrive meanwhile wait for it.
      let taking = this.taking.get(key);
      if (!taking) {
        taking = this.take(key).finally(() => this.taking.delete(key));
        this.taking.set(key, taking);
      }
      await taking;
    }
  }

  private async take(key: string): Promise<void> {
    let points = this.leaseSize;
    let msLeft: number;
    try {
      msLeft = (await this.limiter.consume(key, this.leaseSize)).msBeforeNext;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      // The lease that crossed the limit still holds what was left before it (the counter was
      // below the limit by that much): those points are this instance's, since the counts are
      // atomic. A refusal from the limiter's memory (no count) holds nothing.
      const before = rejection.consumedPoints - this.leaseSize;
      points = rejection.consumedPoints > this.limiter.points ? Math.max(0, this.limiter.points - before) : 0;
      if (points === 0) throw rejection;
      msLeft = rejection.msBeforeNext;
    }
    if (this.leases.size >= MAX_LEASES) this.prune();
    this.leases.set(key, { left: points, until: msLeft < 0 ? Infinity : Date.now() + msLeft });
  }

  private prune() {
    const now = Date.now();
    for (const [key, lease] of this.leases) if (lease.until <= now) this.leases.delete(key);
    if (this.leases.size >= MAX_LEASES) this.leases.clear();
  }
}
