// SQLite's contact search (docs/decisions/013): the FTS5 trigram table "ContactSearch" kept by
// triggers (migration contact_search), and its upkeep after erasures.
import { containsPattern, type Sql, type SqlValue } from "../seam";

/**
 * Contacts (aliased `c`) whose external id, email, name or company contains `q`: through the
 * trigram index when `q` has 3 characters or more; shorter queries scan, and there SQLite's LIKE
 * ignores only ASCII case.
 */
export function searchCondition(q: string, params: SqlValue[]): string {
  if ([...q].length >= 3) {
    // One FTS5 string: every character is literal but the quote, which is doubled.
    params.push(`"${q.replaceAll('"', '""')}"`);
    return `c."id" IN (SELECT rowid FROM "ContactSearch" WHERE "ContactSearch" MATCH ?)`;
  }
  const like = containsPattern(q);
  params.push(like, like, like, like);
  return `(c."externalId" LIKE ? ESCAPE '\\' OR c."email" LIKE ? ESCAPE '\\' OR c."name" LIKE ? ESCAPE '\\' OR c."company" LIKE ? ESCAPE '\\')`;
}

// FTS5 only marks a deleted or renamed contact's trigrams deleted, until it merges the segments
// holding them. After an erasure (the delete trigger leaves a row in ContactSearchPurge), the
// upkeep merges the whole index into one segment, a step at a time, so requests run between steps.

/** Pages of index written per step: a few ms of work. */
const PAGES_PER_STEP = 100;
/** A bound on one run (2,000 steps would rewrite an index of ~800 MB); the rest waits an hour. */
const MAX_STEPS = 2_000;

/** Merges the search index when a contact was erased since the last run; the steps it took. */
export async function compactSearchIndex(db: Sql): Promise<number> {
  if (!(await db.one(`SELECT "id" FROM "ContactSearchPurge"`))) return 0;
  for (let step = 1; step <= MAX_STEPS; step++) {
    const done = await db.transaction(async (tx) => {
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
