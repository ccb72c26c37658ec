// The names PostgreSQL's prepared statements go by (docs/decisions/043): a bounded set, whatever
// the app sends. Pure: runs the same on both engines.
import { describe, expect, it } from "vitest";
import { MAX_NAMED_PLACEHOLDERS, MAX_PREPARED_STATEMENTS, StatementNames } from "../../app/db/postgres/prepared-statements";

describe("prepared statement names", () => {
  it("remembers at most the limit's texts, however many distinct ones come after it", () => {
    const names = new StatementNames("t");
    for (let i = 0; i < MAX_PREPARED_STATEMENTS * 3; i++) names.nameFor(`SELECT ${i}`, 0);
    expect(names.remembered).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    // The texts named first keep their names; the ones past the limit run unnamed.
    expect(names.nameFor("SELECT 0", 0)).toBe("t1");
    expect(names.nameFor(`SELECT ${MAX_PREPARED_STATEMENTS - 1}`, 0)).toBe(`t${MAX_PREPARED_STATEMENTS}`);
    expect(names.nameFor(`SELECT ${MAX_PREPARED_STATEMENTS}`, 0)).toBeNull();
  });

  it("never gives one name to two texts, nor names a value list or a text whose plan went stale", () => {
    const names = new StatementNames("t");
    const given = Array.from({ length: 50 }, (_, i) => names.nameFor(`SELECT ${i}`, 1));
    expect(new Set(given).size).toBe(50);
    expect(names.nameFor("SELECT ?", MAX_NAMED_PLACEHOLDERS + 1)).toBeNull();
    names.unname("SELECT 3");
    expect(names.nameFor("SELECT 3", 1)).toBeNull();
    expect(names.nameFor("SELECT 50", 1)).not.toBe(given[3]);
  });
});
