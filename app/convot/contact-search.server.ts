// Upkeep of SQLite's contact search index (docs/decisions/013). An erased contact's current
// values leave the index at once (the delete trigger's secure-delete); values it had before a
// rename are only marked deleted until FTS5 merges the segments holding them. After an erasure,
// this merges the whole index into one segment, a few hundred pages per step, so requests run
// between steps. PostgreSQL's autovacuum does the same for its index on its own.
import { sql } from "../db.server";

/** Pages of index merged per step: ~10 ms of work. */
const PAGES_PER_STEP = 200;
/** A bound on one run (~1,000 steps would be an index of ~800 MB). */
const MAX_STEPS = 1_000;

/** Merges the search index when a contact was erased since the last run; the steps it took. */
export async function purgeErasedFromSearchIndex(): Promise<number> {
  if (sql.engine !== "sqlite") return 0;
  // Cleared first: an erasure during the merge asks again, for the next run.
  const { changes } = await sql.run(`DELETE FROM "ContactSearchPurge"`);
  if (changes === 0) return 0;
  let steps = 0;
  while (steps < MAX_STEPS) {
    steps++;
    const written = await sql.transaction(async (tx) => {
      const before = await tx.one<{ n: number }>(`SELECT total_changes() AS "n"`);
      await tx.run(`INSERT INTO "ContactSearch" ("ContactSearch", rank) VALUES ('merge', ?)`, [-PAGES_PER_STEP]);
      const after = await tx.one<{ n: number }>(`SELECT total_changes() AS "n"`);
      return Number(after!.n) - Number(before!.n);
    });
    // A step with nothing left to merge only rewrites the index's structure record.
    if (written < 2) break;
  }
  return steps;
}
