// Upkeep of SQLite's contact search index (docs/decisions/013). FTS5 only marks a deleted or
// renamed contact's trigrams deleted, until it merges the segments holding them. After an
// erasure (the delete trigger leaves a row in ContactSearchPurge), this merges the whole index
// into one segment, a step at a time, so requests run between steps. PostgreSQL's autovacuum
// does the same for its index on its own.
import { sql } from "../db.server";

/** Pages of index written per step: a few ms of work. */
const PAGES_PER_STEP = 100;
/** A bound on one run (2,000 steps would rewrite an index of ~800 MB); the rest waits an hour. */
const MAX_STEPS = 2_000;

/** Merges the search index when a contact was erased since the last run; the steps it took. */
export async function purgeErasedFromSearchIndex(): Promise<number> {
  if (sql.engine !== "sqlite") return 0;
  if (!(await sql.one(`SELECT "id" FROM "ContactSearchPurge"`))) return 0;
  for (let step = 1; step <= MAX_STEPS; step++) {
    const done = await sql.transaction(async (tx) => {
      const before = await tx.one<{ n: number }>(`SELECT total_changes() AS "n"`);
      await tx.run(`INSERT INTO "ContactSearch" ("ContactSearch", rank) VALUES ('merge', ?)`, [-PAGES_PER_STEP]);
      const after = await tx.one<{ n: number }>(`SELECT total_changes() AS "n"`);
      // A step with nothing left to merge only rewrites the index's structure record. The
      // request is cleared in that same unit, so an erasure committed meanwhile was merged too.
      const finished = Number(after!.n) - Number(before!.n) < 2;
      if (finished) await tx.run(`DELETE FROM "ContactSearchPurge"`);
      return finished;
    });
    if (done) return step;
  }
  return MAX_STEPS;
}
