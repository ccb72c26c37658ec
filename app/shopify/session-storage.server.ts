// Where Shopify sessions live: Shopify's Prisma session storage, whose reads go through the
// prepared-statement layer instead of Prisma's query engine. authenticate.webhook and
// authenticate.admin load a session on every call; with Prisma's JS engine one lookup costs
// ~0.5–1 ms of CPU (ADR 001), most of a webhook's own budget once the 30 s cache misses, as it
// does for most shops of a real app, whose webhooks are minutes apart. Writes, deletes and
// lookups by shop stay with Prisma: they are rare. Its writes run through `sql.exclusive`: on
// SQLite, Prisma's connection would otherwise wait for the write lock held by this layer's
// open batch, freezing the thread that has to commit it (docs/decisions/008).
import type { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { Prisma } from "../db.server";
import { toDate, type Sql } from "../db/sql.server";

const COLUMNS = `"id", "shop", "state", "isOnline", "scope", "expires", "accessToken", "userId", "firstName", "lastName", "email",
  "accountOwner", "locale", "collaborator", "emailVerified", "refreshToken", "refreshTokenExpires"`;

const bool = (value: unknown) => (value === null || value === undefined ? null : Boolean(value));
const date = (value: unknown) => (value === null || value === undefined ? null : toDate(value));

/** A Session row as Prisma returns it (booleans and dates typed, not SQLite's 0/1 and text). */
function asPrismaRow(row: Record<string, unknown>) {
  return {
    ...row,
    isOnline: Boolean(row.isOnline),
    accountOwner: bool(row.accountOwner),
    collaborator: bool(row.collaborator),
    emailVerified: bool(row.emailVerified),
    expires: date(row.expires),
    refreshTokenExpires: date(row.refreshTokenExpires),
  };
}

type RowToSession = { rowToSession(row: Record<string, unknown>): Session };

export class SessionStorage extends PrismaSessionStorage<Prisma> {
  constructor(
    prisma: Prisma,
    private sql: Sql,
  ) {
    super(prisma);
  }

  override storeSession(session: Session): Promise<boolean> {
    return this.sql.exclusive(() => super.storeSession(session));
  }

  override deleteSession(id: string): Promise<boolean> {
    return this.sql.exclusive(() => super.deleteSession(id));
  }

  override deleteSessions(ids: string[]): Promise<boolean> {
    return this.sql.exclusive(() => super.deleteSessions(ids));
  }

  override async loadSession(id: string): Promise<Session | undefined> {
    const row = await this.sql.one(`SELECT ${COLUMNS} FROM "Session" WHERE "id" = ?`, [id]);
    // Shopify's own row-to-Session mapping (private in its types), so both paths agree exactly.
    return row ? (this as unknown as RowToSession).rowToSession(asPrismaRow(row)) : undefined;
  }
}
