// The process's database handles, opened once from DATABASE_URL: `sql` for the domain's
// model modules, `prisma` for Shopify's session storage (docs/decisions/001).
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./db/generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./db/generated/postgresql/client";
import { openSql, type Sql } from "./db/sql.server";
import { databaseTarget } from "./db/target";
import { env } from "./env.server";

// Both generated clients have the same models; the SQLite one's type stands for either.
export type Prisma = SqlitePrismaClient;

const target = databaseTarget(env.DATABASE_URL);

declare global {
  // One engine per database in a process, however many copies of this module are loaded: the
  // tests (and bench/micro-identify.ts) import it from source beside the server build's bundled
  // copy, and both must write through one SQLite writer and hear one notify (docs/decisions/032).
  var __convotDb: Map<string, { sql: Sql; prisma: Prisma }> | undefined;
}

/** Prisma only reads and writes Shopify's sessions (cached): a few connections are plenty. */
export const PRISMA_POOL_SIZE = 3;

function open() {
  const prisma =
    target.engine === "postgresql"
      ? (new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: target.url, max: PRISMA_POOL_SIZE }) }) as unknown as Prisma)
      : new SqlitePrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.url }) });
  return { sql: openSql(target, { poolSize: env.DATABASE_POOL_SIZE }), prisma };
}

const registry = (globalThis.__convotDb ??= new Map());
if (!registry.has(target.url)) registry.set(target.url, open());
const handles = registry.get(target.url)!;
export const sql: Sql = handles.sql;
export const prisma: Prisma = handles.prisma;
export const databaseEngine = target.engine;
