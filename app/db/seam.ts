// The database seam: what the domain's model modules may ask of a database, whichever engine
// runs it (better-sqlite3 in sqlite/, node-postgres in postgres/): prepared statements with `?`
// placeholders, one transaction API, and the same value encoding Prisma uses, so Prisma
// (schema, migrations, Shopify sessions) and this layer read each other's rows. What differs
// between the engines (row locks, named locks, search, notifications, rate-limit stores) is a
// method here, so domain code never asks which engine it runs on. Why not Prisma's client:
// docs/decisions/001.
import type { ChannelListener } from "./notifications";
import type { RateLimit, RateLimiterAbstract } from "./rate-limiter.server";

export type { ChannelListener };
export type SqlValue = string | number | boolean | null | Date;
export type Row = Record<string, unknown>;
export type PoolUsage = { total: number; idle: number; waiting: number };

/** One statement and its parameters, for atomically(). */
export type Statement = { text: string; params: SqlValue[] };

/** Tables whose rows a transaction may hold with lockRow(). */
export type LockableTable = "AppContact" | "Conversation";

export interface Sql {
  /** Which engine this is: for tests and operators' messages, never for domain branches. */
  readonly engine: "sqlite" | "postgresql";
  one<T = Row>(text: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T = Row>(text: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a statement; `changes` is the number of rows it touched. */
  run(text: string, params?: SqlValue[]): Promise<{ changes: number }>;
  /** Runs `work` in one transaction: every write lands, or none does. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
  /**
   * Runs writes that need nothing back from each other as one unit: every one lands, or none
   * does. On PostgreSQL in one round trip, with no transaction held open between round trips
   * (docs/decisions/034); what each touched comes back in order.
   */
  atomically(statements: Statement[]): Promise<{ changes: number }[]>;
  /**
   * Runs `work` while this layer holds no write transaction and starts none: for a write
   * through another connection to the same database (Prisma's, for Shopify sessions), which
   * would otherwise wait on SQLite's write lock, and block the thread, until a commit that
   * only this thread can run.
   */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Runs `fn` once this handle's writes are committed (or rolled back): at once outside a
   * transaction. For in-memory caches: cleared earlier, a read of the old committed row could
   * put back what the transaction is about to delete.
   */
  afterCommit(fn: () => void): void;
  /**
   * The connections this handle holds, for metrics: PostgreSQL's pool (total, idle, and queries
   * waiting for a connection); SQLite's one writer (idle when no unit holds it, and the units
   * queued for it).
   */
  poolUsage(): PoolUsage;
  /**
   * A rate limiter whose counters every instance of the app sees, each change atomic (a
   * SQLite deployment is one process: there, its memory). Make one per limit, once.
   */
  rateLimiter(limit: RateLimit): RateLimiterAbstract;
  /**
   * Tells every instance of the app, this one included, that these channels changed: once this
   * handle's writes have committed (never if they roll back), at once outside a transaction.
   * In-process on SQLite (one process); on PostgreSQL by NOTIFY to the other instances too
   * (docs/decisions/024). A listener re-reads what a channel names.
   */
  notify(channels: string[]): void;
  /** Hears every notify() of every instance. Returns the function that stops listening. */
  listen(listener: ChannelListener): () => void;
  /** Resolves once this process hears the other instances' notifications (at once on SQLite). */
  listening(): Promise<void>;
  /**
   * Holds this row until the transaction ends, so that two read-modify-writes of it (a contact's
   * custom data, a conversation's message ids) run one after the other. SQLite runs one write
   * transaction at a time: there it holds nothing more.
   */
  lockRow(table: LockableTable, id: number | string): Promise<void>;
  /** Holds a lock on a name until the transaction ends: for a row that does not exist yet. */
  lockName(name: string): Promise<void>;
  /**
   * A condition matching contacts (aliased `c`) whose external id, email, name or company
   * contains `q`, ignoring case, through the engine's trigram index when `q` is long enough
   * (docs/decisions/013); pushes its parameters onto `params`.
   */
  contactTextMatch(q: string, params: SqlValue[]): string;
  /** Keeps the contact search index compact after erasures; the steps it took (0: nothing to do). */
  compactContactSearch(): Promise<number>;
  close(): Promise<void>;
}

/** A unique-constraint violation, whichever engine raised it. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === "23505" || e?.code === "SQLITE_CONSTRAINT_UNIQUE" || e?.code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

/**
 * A foreign-key violation, whichever engine raised it: a write naming a row that a concurrent
 * request deleted after this one looked it up (a contact erased while an event is posted).
 */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === "23503" || e?.code === "SQLITE_CONSTRAINT_FOREIGNKEY";
}

/** PostgreSQL broke a lock cycle by failing this transaction: it can be retried whole. */
export function isDeadlock(error: unknown): boolean {
  return (error as { code?: string })?.code === "40P01";
}

/** A NOT NULL violation, whichever engine raised it: a value a subquery was to find, and did not. */
export function isNotNullViolation(error: unknown): boolean {
  const e = error as { code?: string };
  return e?.code === "23502" || e?.code === "SQLITE_CONSTRAINT_NOTNULL";
}

/** Dates are stored as Prisma stores them: ISO-8601 text on SQLite, UTC timestamp(3) on PostgreSQL. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  // (Older Prisma releases stored SQLite dates as Unix milliseconds.)
  return typeof value === "number" || typeof value === "bigint" ? new Date(Number(value)) : new Date(String(value));
}

/** Runs each callback, logging (not throwing) a failure: one cache's error must not skip the rest. */
export function runAll(callbacks: (() => void)[]) {
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      console.error("[sql] after-commit callback failed:", error);
    }
  }
}

/** Distinct SQL texts are few (dynamic filters are capped); the bound keeps a mistake from leaking. */
export const MAX_CACHED_STATEMENTS = 2000;

/** A LIKE pattern (with `ESCAPE '\\'`) matching `q` anywhere: its wildcards are literal. */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
