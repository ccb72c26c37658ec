// A thin, two-engine SQL layer (better-sqlite3 / node-postgres) for the domain's model
// modules: prepared statements with `?` placeholders, one transaction API, and the same
// value encoding Prisma uses, so Prisma (schema, migrations, Shopify sessions) and this
// layer read each other's rows. Why not Prisma's client here: docs/decisions/001.
import { createRequire } from "node:module";
import { setImmediate } from "node:timers";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import pg from "pg";
import { Listeners, type ChannelListener } from "./notifications";
import { PostgresNotifications } from "./postgres-notifications.server";
import { memoryRateLimiter, postgresRateLimiter, type RateLimit, type RateLimiterAbstract } from "./rate-limiter.server";
import type { DatabaseTarget } from "./target";

export type { ChannelListener };
export type SqlValue = string | number | boolean | null | Date;
export type Row = Record<string, unknown>;
export type PoolUsage = { total: number; idle: number; waiting: number };

export interface Sql {
  readonly engine: "sqlite" | "postgresql";
  one<T = Row>(text: string, params?: SqlValue[]): Promise<T | undefined>;
  all<T = Row>(text: string, params?: SqlValue[]): Promise<T[]>;
  /** Runs a statement; `changes` is the number of rows it touched. */
  run(text: string, params?: SqlValue[]): Promise<{ changes: number }>;
  /** Runs `work` in one transaction: every write lands, or none does. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
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

/** Dates are stored as Prisma stores them: ISO-8601 text on SQLite, UTC timestamp(3) on PostgreSQL. */
export function toDate(value: unknown): Date {
  if (value instanceof Date) return value;
  // (Older Prisma releases stored SQLite dates as Unix milliseconds.)
  return typeof value === "number" || typeof value === "bigint" ? new Date(Number(value)) : new Date(String(value));
}

// ---------------------------------------------------------------- SQLite

/** Distinct SQL texts are few (dynamic filters are capped); the bound keeps a mistake from leaking. */
const MAX_CACHED_STATEMENTS = 2000;

class Mutex {
  private tail: Promise<void> = Promise.resolve();
  /** Holders and waiters. */
  private pending = 0;
  lock(): Promise<() => void> {
    let release!: () => void;
    this.pending++;
    let released = false;
    const next = new Promise<void>(
      (resolve) =>
        (release = () => {
          if (released) return;
          released = true;
          this.pending--;
          resolve();
        }),
    );
    const ready = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return ready;
  }
  get free(): boolean {
    return this.pending === 0;
  }
  /** Waiters, not counting the holder. */
  get waiting(): number {
    return Math.max(0, this.pending - 1);
  }
  /** Runs `fn` holding the lock. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    const release = await this.lock();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function runAll(callbacks: (() => void)[]) {
  for (const callback of callbacks) {
    try {
      callback();
    } catch (error) {
      console.error("[sql] after-commit callback failed:", error);
    }
  }
}

function sqliteParam(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

/**
 * One write transaction shared by every unit of work that ran in one turn of the event loop
 * (docs/decisions/008). Each unit runs in a savepoint of it; the batch commits once the turn's
 * I/O callbacks are done, and a unit's caller hears of its outcome only then.
 */
class Batch {
  readonly afterCommit: (() => void)[] = [];
  /** The channels its units notified: delivered after its commit, dropped if it fails. */
  readonly notifications: string[] = [];
  readonly committed: Promise<void>;
  resolve!: () => void;
  reject!: (error: unknown) => void;
  constructor() {
    this.committed = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Nobody may be waiting on it (a batch of failed units only): not an unhandled rejection.
    this.committed.catch(() => {});
  }
}

/** What the connection's handles share: its lock, its open batch, its statement caches. */
type SqliteState = {
  mutex: Mutex;
  batch: Batch | null;
  checkpointWanted: boolean;
  statements: Map<string, Database.Statement>;
  /**
   * A second connection, read-only, for reads outside a transaction while the writer is busy
   * (a batch open, or a unit running): it sees what has been committed and nothing of the open
   * batch, so such a read neither waits for the batch's commit nor reports a write that commit
   * might still lose. When the writer is idle, reads run on it: SQLite drops a connection's page
   * cache whenever another one has committed, so the reader's cache is cold under writes.
   * (null: the statement is not a plain read.)
   */
  reader: Database.Database;
  readerStatements: Map<string, Database.Statement | null>;
  /** One process: notify() is heard here alone. */
  listeners: Listeners;
};

class SqliteSql implements Sql {
  readonly engine = "sqlite" as const;
  /** A unit's notifications: they join its batch's when it succeeds, and vanish with its rollback. */
  private unitNotifications: string[] = [];

  constructor(
    private db: Database.Database,
    private state: SqliteState,
    private inTransaction = false,
    private checkpointer: Worker | null = null,
  ) {}

  private prepare(text: string) {
    const statements = this.state.statements;
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.clear();
      statement = this.db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  }

  // Writes outside a transaction (and statements that are not plain reads) wait for a running
  // unit: on one connection they would otherwise run inside it, and be committed or rolled back
  // with someone else's work. A write joins the turn's shared transaction, opening it if none is
  // open (a failed statement is undone alone, by SQLite's statement rollback): one commit for all
  // the turn's writes, not one each. Its result is handed over once that has committed: nobody
  // hears of a write that a failed commit takes back. A statement that writes nothing (a PRAGMA
  // read) runs as it is.
  private async guarded<T>(text: string, fn: (statement: Database.Statement) => T): Promise<T> {
    if (this.inTransaction) return fn(this.prepare(text));
    const release = await this.state.mutex.lock();
    let result: T;
    let batch: Batch | null;
    try {
      const statement = this.prepare(text);
      if (!statement.readonly) {
        this.checkBatchAlive();
        if (!this.state.batch) this.openBatch();
      }
      result = fn(statement);
    } finally {
      this.checkBatchAlive();
      batch = this.state.batch;
      release();
    }
    if (batch) await batch.committed;
    return result;
  }

  /**
   * The read connection's statement for `text`, or null when it is not a plain read (a write,
   * a PRAGMA, BEGIN: SQLite calls some of those read-only too). Those run on the writer.
   */
  private readStatement(text: string): Database.Statement | null {
    const cache = this.state.readerStatements;
    let statement = cache.get(text);
    if (statement === undefined) {
      if (cache.size >= MAX_CACHED_STATEMENTS) cache.clear();
      const plainRead = /^\s*(SELECT|WITH)\b/i.test(text);
      const prepared = plainRead ? this.state.reader.prepare(text) : null;
      statement = prepared?.readonly ? prepared : null;
      cache.set(text, statement);
    }
    return statement;
  }

  private read<T>(text: string, params: SqlValue[], fn: (statement: Database.Statement, values: unknown[]) => T): Promise<T> {
    if (!this.inTransaction) {
      try {
        const statement = this.readStatement(text);
        if (statement) {
          // The writer idle (no batch, no unit running): the read runs there, on its warm cache.
          const writerIdle = this.state.mutex.free && !this.state.batch;
          return Promise.resolve(fn(writerIdle ? this.prepare(text) : statement, params.map(sqliteParam)));
        }
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return this.guarded(text, (statement) => fn(statement, params.map(sqliteParam)));
  }

  one<T>(text: string, params: SqlValue[] = []) {
    return this.read(text, params, (statement, values) => statement.get(...values) as T | undefined);
  }
  all<T>(text: string, params: SqlValue[] = []) {
    return this.read(text, params, (statement, values) => statement.all(...values) as T[]);
  }
  run(text: string, params: SqlValue[] = []) {
    return this.guarded(text, (statement) => ({ changes: statement.run(...params.map(sqliteParam)).changes }));
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.inTransaction) return work(this);
    const release = await this.state.mutex.lock();
    let batch: Batch;
    try {
      this.checkBatchAlive();
      batch = this.state.batch ?? this.openBatch();
      this.prepare("SAVEPOINT unit").run();
    } catch (error) {
      release();
      throw error;
    }
    let result: T;
    try {
      const unit = new SqliteSql(this.db, this.state, true);
      result = await work(unit);
      this.prepare("RELEASE unit").run();
      batch.notifications.push(...unit.unitNotifications);
    } catch (error) {
      this.undoUnit(batch, error);
      throw error;
    } finally {
      this.checkBatchAlive();
      release();
    }
    await batch.committed;
    return result;
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.inTransaction) throw new Error("exclusive() inside a transaction would wait for that transaction forever");
    return this.state.mutex.run(() => {
      if (this.state.batch) this.commit(this.state.batch);
      return work();
    });
  }

  afterCommit(fn: () => void): void {
    const batch = this.state.batch;
    if (this.inTransaction && batch) batch.afterCommit.push(fn);
    else fn();
  }

  poolUsage(): PoolUsage {
    return { total: 1, idle: this.state.mutex.free ? 1 : 0, waiting: this.state.mutex.waiting };
  }

  rateLimiter(limit: RateLimit): RateLimiterAbstract {
    return memoryRateLimiter(limit);
  }

  notify(channels: string[]): void {
    if (this.inTransaction) this.unitNotifications.push(...channels);
    else if (channels.length > 0) this.state.listeners.deliver(channels);
  }

  listen(listener: ChannelListener): () => void {
    return this.state.listeners.add(listener);
  }

  listening(): Promise<void> {
    return Promise.resolve();
  }

  /**
   * Undoes a failed unit's writes only. If that is impossible — SQLite itself ended the
   * transaction (an I/O error, a full disk), or the rollback fails — the batch's other units
   * are lost or tainted with it, and fail too.
   */
  private undoUnit(batch: Batch, error: unknown) {
    if (this.db.inTransaction) {
      try {
        this.prepare("ROLLBACK TO unit").run();
        this.prepare("RELEASE unit").run();
        return;
      } catch (rollbackError) {
        console.error("[sqlite] could not roll a failed unit back:", rollbackError);
      }
    }
    this.failBatch(batch, error);
  }

  /** A batch whose transaction SQLite ended outside any unit (a statement's error) is failed. */
  private checkBatchAlive() {
    const batch = this.state.batch;
    if (batch && !this.db.inTransaction) this.failBatch(batch, new Error("SQLite ended the shared transaction early"));
  }

  private openBatch(): Batch {
    this.prepare("BEGIN IMMEDIATE").run();
    const batch = new Batch();
    this.state.batch = batch;
    // After this turn's I/O callbacks: every request that arrived with this one joins it.
    setImmediate(() => void this.commitWhenFree(batch));
    return batch;
  }

  private failBatch(batch: Batch, error: unknown) {
    if (this.state.batch !== batch) return;
    this.state.batch = null;
    try {
      if (this.db.inTransaction) this.prepare("ROLLBACK").run();
    } catch (rollbackError) {
      console.error("[sqlite] rollback failed:", rollbackError);
    } finally {
      runAll(batch.afterCommit);
      batch.reject(error);
    }
  }

  /** Commits the open batch; the caller holds the lock. */
  private commit(batch: Batch) {
    if (this.state.batch !== batch) return;
    try {
      this.prepare("COMMIT").run();
      this.state.batch = null;
      // Before anyone hears of the commit: nobody reads a cache that still holds what it deleted.
      runAll(batch.afterCommit);
      if (batch.notifications.length > 0) this.state.listeners.deliver([...new Set(batch.notifications)]);
      batch.resolve();
    } catch (error) {
      console.error("[sqlite] commit failed:", error);
      this.failBatch(batch, error);
    }
    if (this.state.checkpointWanted) this.checkpointNow();
  }

  private commitWhenFree(batch: Batch) {
    return this.state.mutex.run(() => this.commit(batch));
  }

  private checkpointNow() {
    this.state.checkpointWanted = false;
    if (!this.db.open) return;
    try {
      this.db.pragma("wal_checkpoint(PASSIVE)");
    } catch (error) {
      console.error("[sqlite] checkpoint failed:", error);
    }
  }

  /** A PASSIVE checkpoint on this connection between two batches (see CHECKPOINT_WORKER). */
  async catchUpCheckpoint(): Promise<void> {
    this.state.checkpointWanted = true;
    await this.state.mutex.run(() => {
      // With a batch open, its commit runs the checkpoint right after it.
      if (!this.state.batch && this.state.checkpointWanted) this.checkpointNow();
    });
  }

  async close() {
    // Work already started queues ahead of this (the lock is first come, first served): it
    // runs, and the batch it joined commits before the connection closes.
    await this.state.mutex.run(async () => {
      if (this.state.batch) this.commit(this.state.batch);
      await this.checkpointer?.terminate();
      this.state.reader.close();
      this.db.close();
    });
  }
}

// WAL checkpoints copy the log back into the database and fsync it: several milliseconds
// that would otherwise stall the event loop every few hundred commits. A worker thread with
// its own connection runs them instead: a PASSIVE checkpoint every 100 ms, which never waits
// for our reads or writes. Under constant writes, though, a pass never ends fully caught up (a
// commit always lands while it runs), and SQLite restarts the log from its start only after a
// checkpoint that copied everything with no commit since: the file grew without bound (1.2 GB
// in one bench run). So once the log holds more than RESTART_FRAMES, the worker closes the gap
// (passes back to back until one finds only a few new frames) and then asks this connection,
// the only writer, to run one PASSIVE checkpoint itself between two of its batches: it copies
// the few frames committed since, no commit can follow it, and the next commit starts the log
// over (journal_size_limit then trims the file). Without closing the gap first, that pass had
// ~100 ms of commits to copy and held the event loop for 10-40 ms, twice a second under load.
// Neither side ever waits on a lock; a reader that holds a snapshot for long (a backup, another
// process) still keeps the log from restarting until it finishes, as with any SQLite database.
const RESTART_FRAMES = 8000; // 8,000 frames of 4 KB: ~32 MB of log
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file);
let asked = 0;
const pass = () => db.pragma("wal_checkpoint(PASSIVE)")[0];
setInterval(() => {
  try {
    const first = pass();
    let { checkpointed } = first;
    if (first.log > workerData.restartFrames && Date.now() - asked > 250) {
      // Close the gap first: passes back to back until one finds only a few new frames, so
      // that what is left for the writer's own pass is a moment's worth of commits.
      // (Bounded in time: a worker starved of CPU must not delay the request while the log grows.)
      const until = Date.now() + 30;
      for (let copied = Infinity; copied > workerData.closeFrames && Date.now() < until; ) {
        const before = checkpointed;
        ({ checkpointed } = pass());
        copied = checkpointed >= before ? checkpointed - before : checkpointed;
      }
      asked = Date.now();
      parentPort.postMessage("catch-up");
    }
  } catch {}
}, workerData.everyMs);
`;

function startCheckpointWorker(file: string): Worker | null {
  if (process.env.CONVOT_SQLITE_CHECKPOINT === "inline") return null;
  const worker = new Worker(CHECKPOINT_WORKER, {
    eval: true,
    workerData: { file, everyMs: 100, restartFrames: RESTART_FRAMES, closeFrames: 64, driver: createRequire(import.meta.url).resolve("better-sqlite3") },
  });
  // The worker's own timer keeps it running; unref lets the process exit without stopping it first.
  worker.unref();
  worker.on("error", (error) => console.error("[sqlite] checkpoint worker failed:", error));
  return worker;
}

export function openSqlite(file: string): Sql {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  db.pragma("journal_size_limit = 67108864");
  // 64 MB of page cache (SQLite's default is 2 MB): a lookup among 100,000 contacts otherwise
  // reads most of its pages from the OS, ~25 % slower per statement.
  db.pragma("cache_size = -65536");
  const reader = new Database(file, { readonly: true });
  reader.pragma("busy_timeout = 5000");
  // (Its cache is dropped whenever the writer commits: a small one is all it can use.)
  reader.pragma("cache_size = -16384");
  const worker = startCheckpointWorker(file);
  if (worker) db.pragma("wal_autocheckpoint = 0");
  const state = {
    mutex: new Mutex(),
    batch: null,
    checkpointWanted: false,
    statements: new Map(),
    reader,
    readerStatements: new Map(),
    listeners: new Listeners(),
  };
  const sqlite = new SqliteSql(db, state, false, worker);
  worker?.on("message", () => void sqlite.catchUpCheckpoint());
  return sqlite;
}

// ---------------------------------------------------------------- PostgreSQL

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const pgTypes = {
  getTypeParser(oid: number, format?: string) {
    // Prisma writes timestamp(3) columns in UTC; read them back as UTC, whatever the server's zone.
    if (oid === TIMESTAMP_OID) return (text: string) => new Date(`${text.replace(" ", "T")}Z`);
    if (oid === INT8_OID) return (text: string) => Number(text);
    return pg.types.getTypeParser(oid, format as "text");
  },
};

const placeholderCache = new Map<string, string>();
function numbered(text: string): string {
  let converted = placeholderCache.get(text);
  if (converted === undefined) {
    if (placeholderCache.size >= MAX_CACHED_STATEMENTS) placeholderCache.clear();
    let n = 0;
    converted = text.replace(/\?/g, () => `$${++n}`);
    placeholderCache.set(text, converted);
  }
  return converted;
}

function pgParam(value: SqlValue): unknown {
  return value instanceof Date ? value.toISOString().replace("T", " ").replace("Z", "") : value;
}

class PgSql implements Sql {
  readonly engine = "postgresql" as const;
  private afterCommitted: (() => void)[] = [];
  private notifications: string[] = [];
  constructor(
    private pool: pg.Pool,
    private notifier: PostgresNotifications,
    private client?: pg.PoolClient,
  ) {}

  afterCommit(fn: () => void): void {
    if (this.client) this.afterCommitted.push(fn);
    else fn();
  }

  poolUsage(): PoolUsage {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  private query(text: string, params: SqlValue[]) {
    const runner = this.client ?? this.pool;
    return runner.query({ text: numbered(text), values: params.map(pgParam) });
  }

  async one<T>(text: string, params: SqlValue[] = []) {
    return (await this.query(text, params)).rows[0] as T | undefined;
  }
  async all<T>(text: string, params: SqlValue[] = []) {
    return (await this.query(text, params)).rows as T[];
  }
  async run(text: string, params: SqlValue[] = []) {
    return { changes: (await this.query(text, params)).rowCount ?? 0 };
  }

  async transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T> {
    if (this.client) return work(this);
    const client = await this.pool.connect();
    const tx = new PgSql(this.pool, this.notifier, client);
    let committed = false;
    try {
      await client.query("BEGIN");
      const result = await work(tx);
      await client.query("COMMIT");
      committed = true;
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
      runAll(tx.afterCommitted);
      if (committed) this.notifier.notify([...new Set(tx.notifications)]);
    }
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  rateLimiter(limit: RateLimit): RateLimiterAbstract {
    return postgresRateLimiter(this.pool, limit);
  }

  notify(channels: string[]): void {
    if (this.client) this.notifications.push(...channels);
    else this.notifier.notify(channels);
  }

  listen(listener: ChannelListener): () => void {
    return this.notifier.listen(listener);
  }

  listening(): Promise<void> {
    return this.notifier.listening();
  }

  /** For tests: drops the listening connection as a network failure would. */
  dropListeningConnection(): void {
    this.notifier.dropConnection();
  }

  async close() {
    await this.notifier.close();
    await this.pool.end();
  }
}

export function openPostgres(url: string, max = 10): Sql {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  return new PgSql(pool, new PostgresNotifications(url, pool));
}

export function openSql(target: DatabaseTarget, options: { poolSize?: number } = {}): Sql {
  return target.engine === "postgresql" ? openPostgres(target.url, options.poolSize) : openSqlite(target.file);
}
