// Rate limiters (rate-limiter-flexible) kept where every instance of the app sees them, for
// the seam's engines: a PostgreSQL deployment may run several instances against one database,
// so its counters are rows of "RateLimit", each change one atomic upsert; a SQLite deployment is
// one process, so its counters live in that process's memory (docs/decisions/014, 021).
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

export { RateLimiterRes, type RateLimiterAbstract };

/**
 * A limit: at most `points` in `duration` seconds per key; the one over it blocks the key for
 * `blockDuration` seconds. `blockInMemory`: once a key has spent its points, this instance
 * refuses it from memory until its window ends, without asking the store again (for limits
 * whose points are never given back: another instance cannot unblock the key meanwhile).
 */
export type RateLimit = { name: string; points: number; duration: number; blockDuration: number; blockInMemory?: boolean };

export function memoryRateLimiter(limit: RateLimit): RateLimiterAbstract {
  return new RateLimiterMemory({ keyPrefix: limit.name, points: limit.points, duration: limit.duration, blockDuration: limit.blockDuration });
}

/**
 * The table is the migrations' (model RateLimit in prisma/schema.prisma), so the library never
 * creates it (`tableCreated`). A store error rejects the limiter's promise with that Error (no
 * insurance limiter): the caller fails closed.
 */
export function postgresRateLimiter(pool: pg.Pool, limit: RateLimit): RateLimiterAbstract {
  return new RateLimiterPostgres({
    storeClient: pool,
    storeType: "pool",
    tableName: "RateLimit",
    tableCreated: true,
    keyPrefix: limit.name,
    points: limit.points,
    duration: limit.duration,
    blockDuration: limit.blockDuration,
    // Blocked for the rest of the key's window (inMemoryBlockDuration 0: the store's own expiry).
    ...(limit.blockInMemory ? { inMemoryBlockOnConsumed: limit.points } : {}),
  });
}
