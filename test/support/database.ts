// Test databases: one migrated template per run (built with the real `prisma migrate
// deploy`), then a cheap copy of it for every test file.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export const ROOT = path.resolve(import.meta.dirname, "../..");
export const ENGINE = (process.env.TEST_DATABASE ?? "sqlite") as "sqlite" | "postgresql";
if (ENGINE !== "sqlite" && ENGINE !== "postgresql") throw new Error(`TEST_DATABASE must be sqlite or postgresql, not ${ENGINE}`);

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
// Every run has its own databases, so two runs on one machine (a developer's and CI's) never
// drop each other's. global-setup sets the id before the workers start; they inherit it.
process.env.CONVOT_TEST_RUN ??= randomBytes(4).toString("hex");
const RUN = process.env.CONVOT_TEST_RUN;
const SQLITE_DIR = path.join(os.tmpdir(), `convot-test-${RUN}`);
const SQLITE_TEMPLATE = path.join(SQLITE_DIR, "template.sqlite");
const PG_TEMPLATE = `convot_tpl_${RUN}`;
export const PG_PREFIX = `convot_t_${RUN}_`;

function postgresUrl(database: string) {
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function migrateDeploy(databaseUrl: string) {
  execFileSync(path.join(ROOT, "node_modules/.bin/tsx"), ["scripts/db.ts", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

/** Builds the run's template database with `prisma migrate deploy`. */
export async function createTemplate(): Promise<void> {
  if (ENGINE === "sqlite") {
    fs.mkdirSync(SQLITE_DIR, { recursive: true });
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(SQLITE_TEMPLATE + suffix, { force: true });
    migrateDeploy(`file:${SQLITE_TEMPLATE}`);
    return;
  }
  await withAdmin((client) => client.query(`CREATE DATABASE ${PG_TEMPLATE}`));
  migrateDeploy(postgresUrl(PG_TEMPLATE));
}

/** A fresh, migrated database of its own; returns its DATABASE_URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `${PG_PREFIX}${process.pid}_${randomBytes(3).toString("hex")}`;
  if (ENGINE === "sqlite") {
    const file = path.join(SQLITE_DIR, `${name}.sqlite`);
    fs.copyFileSync(SQLITE_TEMPLATE, file);
    return `file:${file}`;
  }
  await withAdmin((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${PG_TEMPLATE}`));
  return postgresUrl(name);
}

/** Drops this run's databases (and its template). */
export async function dropTestDatabases(): Promise<void> {
  if (ENGINE === "sqlite") {
    fs.rmSync(SQLITE_DIR, { recursive: true, force: true });
    return;
  }
  await withAdmin(async (client) => {
    const { rows } = await client.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`, [`${PG_PREFIX}%`, PG_TEMPLATE]);
    for (const row of rows) await client.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
  });
}
