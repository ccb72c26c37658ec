// Readiness for a load balancer: the database answers, every migration this build carries has
// been applied to it, and the instance is not draining.
import fs from "node:fs";
import path from "node:path";
import { sql } from "../db.server";
import { databaseTarget } from "../db/target";
import { env } from "../env.server";
import { isDraining } from "./drain.server";
import { logger } from "./log.server";

/** Longer than this, the database counts as unreachable: a probe must not hang with it. */
const CHECK_TIMEOUT_MS = 2_000;

export type Readiness = {
  ready: boolean;
  draining: boolean;
  database: "ok" | "unreachable";
  migrations: "applied" | "pending" | "unknown";
  /** Migrations this build carries that the database has not finished. */
  pending?: string[];
};

let carried: string[] | undefined;

/** The migrations this build carries: prisma/<engine's migrations>/<name>/ (read once). */
function carriedMigrations(): string[] {
  if (!carried) {
    const dir = path.resolve("prisma", databaseTarget(env.DATABASE_URL).migrationsDir);
    carried = fs
      .readdirSync(dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  }
  return carried;
}

async function pingDatabase(): Promise<void> {
  await sql.one("SELECT 1 AS ok");
}

/** Migrations Prisma has finished on this database and not rolled back. */
async function listAppliedMigrations(): Promise<Set<string>> {
  const rows = await sql.all<{ migration_name: string }>(
    `SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`,
  );
  return new Set(rows.map((row) => row.migration_name));
}

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}

export async function checkReadiness(): Promise<Readiness> {
  const draining = isDraining();
  try {
    await withinTimeout(pingDatabase());
  } catch (error) {
    logger.warn({ err: error }, "readiness: the database did not answer");
    return { ready: false, draining, database: "unreachable", migrations: "unknown" };
  }
  let pending: string[];
  try {
    const applied = await withinTimeout(listAppliedMigrations());
    pending = carriedMigrations().filter((name) => !applied.has(name));
  } catch (error) {
    logger.warn({ err: error }, "readiness: could not read the applied migrations");
    return { ready: false, draining, database: "ok", migrations: "unknown" };
  }
  const migrations = pending.length ? "pending" : "applied";
  return { ready: !draining && !pending.length, draining, database: "ok", migrations, ...(pending.length ? { pending } : {}) };
}
