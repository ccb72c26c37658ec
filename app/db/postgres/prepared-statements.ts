// Prepared statements on PostgreSQL (docs/decisions/043): a statement the app sends again and
// again is parsed and planned once per connection, not on every call. Identify's match query
// spent more time in the planner than in the executor; its writes, sent as literals in one
// Query message, were planned anew each time.
import type pg from "pg";

/**
 * Distinct statements given a name, at most: each holds a plan on every pooled connection. The
 * app sends about a hundred; texts built from variable lists past this run unnamed, as before.
 */
export const MAX_PREPARED_STATEMENTS = 400;

/**
 * Statements with more placeholders than this are not named: they are value lists (`IN (?, ?, …)`)
 * whose every length is a text of its own, and whose plans are large (a 5,000-id list's held
 * 0.7 MB of one backend's memory).
 */
export const MAX_NAMED_PLACEHOLDERS = 32;

/**
 * A statement PostgreSQL refused to run from its cached plan: its result columns changed (a
 * migration). Told by the routine that raised it, which does not depend on the server's language.
 */
export function isStalePlan(error: unknown): boolean {
  const { code, routine, message } = (error ?? {}) as { code?: string; routine?: string; message?: string };
  return code === "0A000" && (routine === "RevalidateCachedQuery" || /cached plan/.test(message ?? ""));
}

/**
 * One name per statement text, the same on every connection (node-postgres refuses a name
 * reused for another text). `prefix` keeps the protocol-level names (node-postgres's) apart from
 * those of SQL PREPARE (the one-message writes): both live in the session's one namespace.
 */
export class StatementNames {
  private names = new Map<string, string | null>();
  constructor(private prefix: string) {}

  /** The text's name, or null: a value list, past the limit, or after its cached plan went stale. */
  nameFor(text: string, placeholders: number): string | null {
    if (placeholders > MAX_NAMED_PLACEHOLDERS) return null;
    const known = this.names.get(text);
    if (known !== undefined) return known;
    // Past the limit a text is not remembered either: the map stays as small as the limit.
    if (this.names.size >= MAX_PREPARED_STATEMENTS) return null;
    const name = `${this.prefix}${this.names.size + 1}`;
    this.names.set(text, name);
    return name;
  }

  /** How many texts it holds a name (or, once stale, a refusal of one) for. */
  get remembered(): number {
    return this.names.size;
  }

  /** From now on the text runs unnamed (its plan went stale on some connection). */
  unname(text: string): void {
    if (this.names.has(text)) this.names.set(text, null);
  }
}

/** The names each pooled connection has PREPAREd through SQL (node-postgres tracks only its own). */
const preparedBySql = new WeakMap<pg.PoolClient, Set<string>>();

export function sqlPreparedOn(client: pg.PoolClient): Set<string> {
  let names = preparedBySql.get(client);
  if (!names) preparedBySql.set(client, (names = new Set()));
  return names;
}
