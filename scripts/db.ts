// Database chores for both engines: derive the PostgreSQL schema from the SQLite one,
// generate both clients, author and apply migrations. Usage: tsx scripts/db.ts <command>.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { databaseTarget } from "../app/db/target";

const root = path.resolve(import.meta.dirname, "..");
const prismaBin = path.join(root, "node_modules", ".bin", "prisma");
const sqliteSchema = path.join(root, "prisma", "schema.prisma");
const pgSchema = path.join(root, "prisma", "postgresql", "schema.prisma");

/** Writes prisma/postgresql/schema.prisma: the same models, another provider and client folder. */
export function derivePostgresSchema(): string {
  const source = fs.readFileSync(sqliteSchema, "utf8");
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('output       = "../app/db/generated/sqlite"', 'output       = "../../app/db/generated/postgresql"')
    .replace(
      /^\/\/ The one set of models[\s\S]*?decisions\/001\.\n/m,
      "// GENERATED from prisma/schema.prisma by scripts/db.ts: edit that file, not this one.\n",
    );
  if (!derived.includes('"postgresql"') || !derived.includes("generated/postgresql")) {
    throw new Error("prisma/schema.prisma no longer has the provider/output lines scripts/db.ts rewrites");
  }
  fs.mkdirSync(path.dirname(pgSchema), { recursive: true });
  if (!fs.existsSync(pgSchema) || fs.readFileSync(pgSchema, "utf8") !== derived) fs.writeFileSync(pgSchema, derived);
  return derived;
}

function prisma(args: string[], databaseUrl?: string) {
  execFileSync(prismaBin, args, {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}), PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
}

// The schema's `url = env("DATABASE_URL")` must parse even where no database is involved
// (generate, diff); these placeholders are never connected to.
const PLACEHOLDER_URL = { sqlite: "file:./prisma/dev.sqlite", postgresql: "postgresql://localhost:5432/placeholder" };

const DIFF_POSTGRES_URL = process.env.POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/**
 * `@prisma/client` (imported by Shopify's Prisma session storage for its error classes) loads
 * `.prisma/client/default`, which only the legacy generator writes. This writes a small stand-in:
 * no client (ours are in app/db/generated), and error classes whose `instanceof` recognises the
 * errors our generated clients throw, whichever copy of Prisma's runtime created them.
 */
function writeLegacyClientShim() {
  const dir = path.join(root, "node_modules", ".prisma", "client");
  fs.mkdirSync(dir, { recursive: true });
  const errors = [
    "PrismaClientKnownRequestError",
    "PrismaClientUnknownRequestError",
    "PrismaClientRustPanicError",
    "PrismaClientInitializationError",
    "PrismaClientValidationError",
  ];
  const js = `"use strict";
// Written by scripts/db.ts (see writeLegacyClientShim): the app's clients live in app/db/generated.
function errorClass(name) {
  const cls = class extends Error {};
  Object.defineProperty(cls, "name", { value: name });
  Object.defineProperty(cls, Symbol.hasInstance, { value: (v) => v instanceof Error && v.name === name });
  return cls;
}
const Prisma = { ${errors.map((name) => `${name}: errorClass(${JSON.stringify(name)})`).join(", ")} };
class PrismaClient {
  constructor() {
    throw new Error("Import the Prisma client from app/db.server.ts (generated into app/db/generated).");
  }
}
module.exports = { Prisma, PrismaClient };
`;
  const dts = `export declare const PrismaClient: any;\nexport declare type PrismaClient = any;\nexport declare const Prisma: any;\nexport declare namespace Prisma {}\n`;
  for (const name of ["default", "index"]) {
    fs.writeFileSync(path.join(dir, `${name}.js`), js);
    fs.writeFileSync(path.join(dir, `${name}.d.ts`), dts);
  }
}

function generate() {
  writeLegacyClientShim();
  derivePostgresSchema();
  prisma(["generate", "--schema", sqliteSchema], PLACEHOLDER_URL.sqlite);
  prisma(["generate", "--schema", pgSchema], PLACEHOLDER_URL.postgresql);
}

/**
 * What a failed `prisma migrate deploy` means for the person running it. SQLite refuses a
 * second writer while the app holds the file: Prisma's JS engine then fails with a timeout
 * its WASM side cannot even name ("unknown variant `SocketTimeout`").
 */
export function explainMigrationFailure(output: string): string {
  if (/SocketTimeout|database is locked|SQLITE_BUSY/i.test(output)) {
    return "✗ The database is in use by a running server: stop the server first (Ctrl-C where `npm run demo` runs), then run this again.";
  }
  return `✗ Migrating the database failed:\n${output.trim()}`;
}

/** Applies pending migrations to DATABASE_URL (SQLite file by default): one line on success, the reason on failure. */
function deploy() {
  const target = databaseTarget(process.env.DATABASE_URL);
  if (target.engine === "sqlite") fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const run = spawnSync(prismaBin, ["migrate", "deploy"], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: target.url, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
  });
  const output = `${run.stdout ?? ""}${run.stderr ?? ""}${run.error ? String(run.error) : ""}`;
  if (run.status !== 0) {
    console.error(explainMigrationFailure(output));
    process.exit(1);
  }
  // Prisma lists each applied migration as a folder line, `└─ <timestamp>_<name>/`.
  const count = (output.match(/└─ \d+_\w+\//g) ?? []).length;
  console.log(count === 0 ? "  no pending migrations" : `  applied ${count} migration${count === 1 ? "" : "s"}`);
}

/** Writes a new migration for both engines: the SQL from the last migration's schema to the current one. */
function newMigration(name: string | undefined) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: tsx scripts/db.ts new <snake_case_name>");
  derivePostgresSchema();
  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  for (const [schema, dir] of [
    [sqliteSchema, path.join(root, "prisma", "migrations")],
    [pgSchema, path.join(root, "prisma", "postgresql", "migrations")],
  ] as const) {
    const snapshot = path.join(dir, "schema.snapshot.prisma");
    const from = fs.existsSync(snapshot) ? ["--from-schema-datamodel", snapshot] : ["--from-empty"];
    const provider = schema === pgSchema ? "postgresql" : "sqlite";
    const sql = execFileSync(prismaBin, ["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], {
      cwd: root,
      encoding: "utf8",
      // The JS schema engine diffs through a live connection even between two schema files.
      env: { ...process.env, DATABASE_URL: provider === "postgresql" ? DIFF_POSTGRES_URL : PLACEHOLDER_URL.sqlite },
    });
    if (/This is an empty migration/.test(sql)) {
      console.log(`${path.relative(root, dir)}: no change`);
      continue;
    }
    const out = path.join(dir, `${stamp}_${name}`);
    fs.mkdirSync(out, { recursive: true });
    fs.writeFileSync(path.join(out, "migration.sql"), sql);
    fs.copyFileSync(schema, snapshot);
    const lock = path.join(dir, "migration_lock.toml");
    if (!fs.existsSync(lock)) {
      fs.writeFileSync(
        lock,
        `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`,
      );
    }
    console.log(`wrote ${path.relative(root, out)}/migration.sql`);
  }
}

// Run as a script (tests import the helpers above without running a command).
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) main();

function main() {
  const [command, arg] = process.argv.slice(2);
  const commands: Record<string, () => void> = {
    "derive-schema": () => void derivePostgresSchema(),
    generate,
    deploy,
    new: () => newMigration(arg),
  };
  if (!command || !commands[command]) {
    console.error(`usage: tsx scripts/db.ts <${Object.keys(commands).join("|")}>`);
    process.exit(2);
  }
  try {
    commands[command]();
  } catch (error) {
    console.error(`✗ ${(error as Error).message}`);
    process.exit(1);
  }
}
