// Which database engine a DATABASE_URL names, and where that engine's schema and migrations live.
import path from "node:path";

export type DatabaseTarget =
  | { engine: "sqlite"; url: string; file: string; schemaFile: string; migrationsDir: string }
  | { engine: "postgresql"; url: string; schemaFile: string; migrationsDir: string };

export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

export function databaseTarget(url: string | undefined = DEFAULT_DATABASE_URL): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) {
    return { engine: "postgresql", url, schemaFile: "postgresql/schema.prisma", migrationsDir: "postgresql/migrations" };
  }
  if (url.startsWith("file:")) {
    const file = path.resolve(url.slice("file:".length));
    return { engine: "sqlite", url: `file:${file}`, file, schemaFile: "schema.prisma", migrationsDir: "migrations" };
  }
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL); got "${url.split(":")[0]}:…"`);
}
