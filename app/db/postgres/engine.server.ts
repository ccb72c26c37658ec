// The seam's PostgreSQL engine (node-postgres): a pool, transactions on one pooled client,
// NOTIFY/LISTEN for notifications (docs/decisions/024) and rate-limit counters in a table.
import pg from "pg";
import type { ChannelListener } from "../notifications";
import { postgresRateLimiter, type RateLimit, type RateLimiterAbstract } from "../rate-limiter.server";
import { MAX_CACHED_STATEMENTS, runAll, type LockableTable, type PoolUsage, type Sql, type SqlValue, type Statement } from "../seam";
import { searchCondition } from "./contact-search";
import { PostgresNotifications } from "./notifications.server";
import { isStalePlan, sqlPreparedOn, StatementNames } from "./prepared-statements";

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

/**
 * A value as an SQL literal, for the simple-query protocol (which takes no parameters): quoted
 * text of unknown type, as node-postgres sends a parameter, so PostgreSQL types it from where it
 * stands exactly as it would a bound one.
 */
function literal(value: SqlValue): string {
  if (value === null) return "NULL";
  if (typeof value === "number" && !Number.isFinite(value)) throw new Error(`not a storable number: ${value}`);
  return pg.escapeLiteral(String(pgParam(value)));
}

function checkParameterCount({ text, params }: Statement): void {
  const placeholders = text.split("?").length - 1;
  if (placeholders !== params.length) throw new Error(`${placeholders} placeholders for ${params.length} parameters`);
}

/** A statement with its `?` placeholders replaced by literals. */
function inlined(statement: Statement): string {
  checkParameterCount(statement);
  let i = 0;
  return statement.text.replace(/\?/g, () => literal(statement.params[i++]));
}

/** Names for node-postgres's prepared statements (one/all/run) and for SQL PREPARE (atomically). */
const protocolNames = new StatementNames("q");
const sqlNames = new StatementNames("a");

class PgSql implements Sql {
  readonly engine = "postgresql" as const;
  private afterCommitted: (() => void)[] = [];
  private notifications: string[] = [];
  constructor(
    private pool: pg.Pool,
    private notifier: PostgresNotifications,
    private counters: CounterPool,
    private client?: pg.PoolClient,
  ) {}

  afterCommit(fn: () => void): void {
    if (this.client) this.afterCommitted.push(fn);
    else fn();
  }

  poolUsage(): PoolUsage {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  private async query(text: string, params: SqlValue[]): Promise<pg.QueryResult> {
    const runner = this.client ?? this.pool;
    const values = params.map(pgParam);
    const name = protocolNames.nameFor(text, params.length);
    if (name === null) return runner.query({ text: numbered(text), values });
    try {
      return await runner.query({ name, text: numbered(text), values });
    } catch (error) {
      // A migration changed the columns this statement returns: it runs unnamed from now on
      // (retried here only outside a transaction, which the error has aborted).
      if (!isStalePlan(error)) throw error;
      protocolNames.unname(text);
      if (this.client) throw error;
      return this.pool.query({ text: numbered(text), values });
    }
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
    const tx = new PgSql(this.pool, this.notifier, this.counters, client);
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

  // One Query message of several statements runs them as one implicit transaction: one round
  // trip, and no connection sits idle in a transaction between round trips. That protocol takes
  // no parameters: each statement is PREPAREd once per connection (in the message that first
  // needs it) and EXECUTEd with its values as literals, so it is planned once, not on every call.
  async atomically(statements: Statement[]): Promise<{ changes: number }[]> {
    if (statements.length === 0) return [];
    if (this.client || statements.length === 1) {
      const results: { changes: number }[] = [];
      for (const { text, params } of statements) results.push(await this.run(text, params));
      return results;
    }
    // (The message depends on what the connection has prepared.) A value it refuses (a NaN, a
    // count of values that does not match) gives the connection back before anything is sent.
    const client = await this.pool.connect();
    const prepared = sqlPreparedOn(client);
    const preparing: string[] = [];
    const parts: string[] = [];
    /** Which of the message's results are the statements' own (not a PREPARE's). */
    const own: boolean[] = [];
    try {
      for (const statement of statements) {
        const name = sqlNames.nameFor(statement.text, statement.params.length);
        if (name === null) {
          parts.push(inlined(statement));
        } else {
          checkParameterCount(statement);
          const values = statement.params.map(literal);
          if (!prepared.has(name) && !preparing.includes(name)) {
            parts.push(`PREPARE ${name} AS ${numbered(statement.text)}`);
            own.push(false);
            preparing.push(name);
          }
          parts.push(values.length ? `EXECUTE ${name}(${values.join(", ")})` : `EXECUTE ${name}`);
        }
        own.push(true);
      }
    } catch (error) {
      client.release();
      throw error;
    }
    let result: pg.QueryResult | pg.QueryResult[];
    try {
      result = (await client.query(parts.join(";\n"))) as unknown as pg.QueryResult | pg.QueryResult[];
    } catch (error) {
      // Which PREPAREs of the failed message took effect is unknown (they outlive its
      // rollback): the connection goes, and with it whatever it had prepared.
      client.release(true);
      if (isStalePlan(error)) for (const statement of statements) sqlNames.unname(statement.text);
      throw error;
    }
    client.release();
    for (const name of preparing) prepared.add(name);
    const results = Array.isArray(result) ? result : [result];
    return results.filter((_, i) => own[i]).map((r) => ({ changes: r.rowCount ?? 0 }));
  }

  exclusive<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }

  rateLimiter(limit: RateLimit): RateLimiterAbstract {
    return postgresRateLimiter(this.counters.pool(), limit);
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

  async lockRow(table: LockableTable, id: number | string): Promise<void> {
    if (!this.client) throw new Error("lockRow() outside a transaction holds nothing");
    await this.query(`SELECT "id" FROM "${table}" WHERE "id" = ? FOR UPDATE`, [id]);
  }

  async lockName(name: string): Promise<void> {
    if (!this.client) throw new Error("lockName() outside a transaction holds nothing");
    await this.query(`SELECT pg_advisory_xact_lock(hashtext(?))`, [name]);
  }

  contactTextMatch(q: string, params: SqlValue[]): string {
    return searchCondition(q, params);
  }

  /** Autovacuum keeps the trigram index compact. */
  compactContactSearch(): Promise<number> {
    return Promise.resolve(0);
  }

  /** For tests: drops the listening connection as a network failure would. */
  dropListeningConnection(): void {
    this.notifier.dropConnection();
  }

  async close() {
    await this.notifier.close();
    await this.counters.end();
    await this.pool.end();
  }
}

/**
 * The rate limiters' own connections (docs/decisions/042): their commits do not wait for the
 * write-ahead log to reach the disk (synchronous_commit off). A counter lost in a crash costs a
 * client a few requests' worth of allowance, nothing else; waiting for the disk on every request
 * doubled the fsyncs of a widget call. Opened on the first limiter.
 */
type CounterPool = { pool(): pg.Pool; end(): Promise<void> };

/** Connections the rate limiters hold at most, on top of DATABASE_POOL_SIZE. */
export const COUNTER_POOL_SIZE = 4;

function counterPool(url: string): CounterPool {
  let pool: pg.Pool | null = null;
  return {
    pool: () => (pool ??= new pg.Pool({ connectionString: url, max: COUNTER_POOL_SIZE, types: pgTypes, options: "-c synchronous_commit=off" })),
    end: async () => {
      await pool?.end();
    },
  };
}

export function openPostgres(url: string, max = 10): Sql {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes });
  return new PgSql(pool, new PostgresNotifications(url, pool), counterPool(url));
}
