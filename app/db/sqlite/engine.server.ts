// The seam's SQLite engine (better-sqlite3): one writer connection whose writes of one event-loop
// turn share a transaction (docs/decisions/008), a read-only second connection for reads while
// the writer is busy, and WAL checkpoints on a worker thread (checkpoint-worker.ts).
import { createRequire } from "node:module";
import { setImmediate } from "node:timers";
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { Listeners, type ChannelListener } from "../notifications";
import { memoryRateLimiter, type RateLimit, type RateLimiterAbstract } from "../rate-limiter.server";
import { MAX_CACHED_STATEMENTS, runAll, type LockableTable, type PoolUsage, type Sql, type SqlValue, type Statement } from "../seam";
import { checkpointWorkerMain, type CheckpointWorkerData } from "./checkpoint-worker";
import { compactSearchIndex, searchCondition } from "./contact-search";

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

  atomically(statements: Statement[]): Promise<{ changes: number }[]> {
    return this.transaction(async (tx) => {
      const results: { changes: number }[] = [];
      for (const { text, params } of statements) results.push(await tx.run(text, params));
      return results;
    });
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

  // One write transaction runs at a time on SQLite: holding it is holding every row and name.
  lockRow(_table: LockableTable, _id: number | string): Promise<void> {
    return Promise.resolve();
  }

  lockName(_name: string): Promise<void> {
    return Promise.resolve();
  }

  contactTextMatch(q: string, params: SqlValue[]): string {
    return searchCondition(q, params);
  }

  compactContactSearch(): Promise<number> {
    return compactSearchIndex(this);
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

  /** A PASSIVE checkpoint on this connection between two batches (see checkpoint-worker.ts). */
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

/** Log frames past which the worker asks for a catch-up checkpoint (see checkpoint-worker.ts). */
const RESTART_FRAMES = 8000; // 8,000 frames of 4 KB: ~32 MB of log

function startCheckpointWorker(file: string): Worker | null {
  if (process.env.CONVOT_SQLITE_CHECKPOINT === "inline") return null;
  const workerData: CheckpointWorkerData = {
    file,
    everyMs: 100,
    restartFrames: RESTART_FRAMES,
    closeFrames: 64,
    driver: createRequire(import.meta.url).resolve("better-sqlite3"),
  };
  // The worker runs the typed function's source: the server build is one bundle, with no file
  // of its own to hand a Worker. Transpilers that keep function names (tsx, vitest) wrap them in
  // a `__name` helper the source then calls: the worker gets a do-nothing one.
  const source = `const __name = (target) => target;\n(${checkpointWorkerMain.toString()})();`;
  const worker = new Worker(source, { eval: true, workerData });
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
