// Prisma CLI configuration: JS engines and driver adapters only, so `generate` and
// `migrate deploy` work with no native engine download (docs/decisions/001).
// The engine follows DATABASE_URL: a postgres:// URL selects PostgreSQL, anything else SQLite.
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPgForMigrations } from "./app/db/pg-migration-adapter";
import { databaseTarget } from "./app/db/target";

const target = databaseTarget(process.env.DATABASE_URL);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", target.schemaFile),
  migrations: { path: path.join("prisma", target.migrationsDir) },
  async adapter() {
    return target.engine === "postgresql"
      ? new PrismaPgForMigrations({ connectionString: target.url })
      : new PrismaBetterSQLite3({ url: target.url });
  },
});
