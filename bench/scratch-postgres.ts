// A database of a bench's own on a PostgreSQL server: created and migrated for one run, dropped
// after it, whoever is still connected.
import { execFileSync } from "node:child_process";
import path from "node:path";
import pg from "pg";

const ROOT = path.resolve(import.meta.dirname, "..");

/** A server where a bench may create and drop databases: POSTGRES_URL, or the machine's. */
export const POSTGRES_ADMIN_URL = process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** One statement on the server's admin database, on a connection of its own. */
export async function adminQuery(text: string, adminUrl = POSTGRES_ADMIN_URL): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

export type ScratchDatabase = { name: string; url: string; drop(): Promise<void> };

/**
 * Creates the database `name` (a leftover of that name goes first) and applies the migrations.
 * Rejects when no server answers at `adminUrl`.
 */
export async function scratchDatabase(name: string, adminUrl = POSTGRES_ADMIN_URL): Promise<ScratchDatabase> {
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`, adminUrl);
  await drop();
  await adminQuery(`CREATE DATABASE ${name}`, adminUrl);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url.toString() },
    stdio: "ignore",
  });
  return { name, url: url.toString(), drop };
}
