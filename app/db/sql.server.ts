// Opens the database seam (seam.ts) on the engine a DATABASE_URL names; domain modules import
// the seam's types from here.
import { openPostgres } from "./postgres/engine.server";
import type { Sql } from "./seam";
import { openSqlite } from "./sqlite/engine.server";
import type { DatabaseTarget } from "./target";

export * from "./seam";
export { openPostgres, openSqlite };

export function openSql(target: DatabaseTarget, options: { poolSize?: number } = {}): Sql {
  return target.engine === "postgresql" ? openPostgres(target.url, options.poolSize) : openSqlite(target.file);
}
