// Per-app API keys: created with scopes, shown once, stored as a hash, revocable.
import { sql } from "../db.server";
import { isUniqueViolation, toDate } from "../db/sql.server";
import { constantTimeEqual, formatApiKeyToken, newApiKeyParts, parseApiKeyToken, sha256Hex } from "./secrets";

export const SCOPES = ["contacts:read", "contacts:write", "conversations:read", "conversations:write", "messages:read", "messages:write"] as const;
export type Scope = (typeof SCOPES)[number];

export class UnknownScopeError extends Error {
  constructor(readonly scopes: string[]) {
    super(`unknown scope${scopes.length > 1 ? "s" : ""}: ${scopes.join(", ")} (known: ${SCOPES.join(", ")})`);
  }
}

export function parseScopes(input: string | string[]): Scope[] {
  const list = (Array.isArray(input) ? input : input.split(/[\s,]+/)).map((s) => s.trim()).filter(Boolean);
  const unknown = list.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (unknown.length) throw new UnknownScopeError(unknown);
  return [...new Set(list)] as Scope[];
}

export type ApiKeyRecord = {
  id: string;
  appId: number;
  name: string;
  scopes: Scope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
};

function toRecord(row: Record<string, unknown>): ApiKeyRecord {
  return {
    id: String(row.id),
    appId: Number(row.appId),
    name: String(row.name ?? ""),
    scopes: String(row.scopes).split(" ").filter(Boolean) as Scope[],
    createdAt: toDate(row.createdAt),
    lastUsedAt: row.lastUsedAt ? toDate(row.lastUsedAt) : null,
    revokedAt: row.revokedAt ? toDate(row.revokedAt) : null,
  };
}

/** Creates a key; the returned token is the only time its secret exists in clear. */
export async function createApiKey(input: { appId: number; scopes: Scope[]; name?: string }) {
  const { id, secret } = newApiKeyParts();
  await insertApiKey({ ...input, id, secret });
  return { id, token: formatApiKeyToken(id, secret), scopes: input.scopes };
}

async function insertApiKey(input: { appId: number; scopes: Scope[]; name?: string; id: string; secret: string }) {
  await sql.run(`INSERT INTO "ApiKey" ("id", "appId", "name", "secretHash", "scopes", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`, [
    input.id,
    input.appId,
    input.name ?? "",
    sha256Hex(input.secret),
    input.scopes.join(" "),
    new Date(),
  ]);
}

const revokedConfiguredKey = (revokedAt: Date) =>
  new Error(
    `CONVOT_API_KEY was revoked on ${revokedAt.toISOString().replace("T", " ").slice(0, 16)} UTC; issue a new key ` +
      "(npm run convot -- apikey create --app APP_KEY --scopes …, or the console's settings) and put it in CONVOT_API_KEY",
  );

/**
 * Makes a configured token (CONVOT_API_KEY) valid for the app, with every scope: created when
 * its id is unknown, its secret and app updated when the configuration changed them. Never
 * un-revokes: a leaked key someone revoked must not come back on the next deploy, so boot stops.
 */
export async function ensureConfiguredApiKey(appId: number, token: string): Promise<void> {
  const parts = parseApiKeyToken(token);
  if (!parts) throw new Error("CONVOT_API_KEY must look like ck_<id>:<secret>");
  const row = await sql.one<{ revokedAt: unknown }>(`SELECT "revokedAt" FROM "ApiKey" WHERE "id" = ?`, [parts.id]);
  if (row?.revokedAt) throw revokedConfiguredKey(toDate(row.revokedAt));
  if (!row) {
    try {
      await insertApiKey({ appId, scopes: [...SCOPES], name: "configured (CONVOT_API_KEY)", ...parts });
    } catch (error) {
      if (!isUniqueViolation(error)) throw error; // another instance booted first
    }
    return;
  }
  const { changes } = await sql.run(`UPDATE "ApiKey" SET "appId" = ?, "secretHash" = ? WHERE "id" = ? AND "revokedAt" IS NULL`, [
    appId,
    sha256Hex(parts.secret),
    parts.id,
  ]);
  // Revoked between the read and the update.
  if (changes === 0) throw revokedConfiguredKey(new Date());
}

export async function listApiKeys(appId: number): Promise<ApiKeyRecord[]> {
  const rows = await sql.all(
    `SELECT "id", "appId", "name", "scopes", "createdAt", "lastUsedAt", "revokedAt" FROM "ApiKey" WHERE "appId" = ? ORDER BY "createdAt" DESC`,
    [appId],
  );
  return rows.map(toRecord);
}

/** Revokes a key. With `appId`, only that app's key (another app's key is "not found"). */
export async function revokeApiKey(id: string, appId?: number): Promise<boolean> {
  const { changes } = await sql.run(
    `UPDATE "ApiKey" SET "revokedAt" = ? WHERE "id" = ? AND "revokedAt" IS NULL${appId === undefined ? "" : ` AND "appId" = ?`}`,
    appId === undefined ? [new Date(), id] : [new Date(), id, appId],
  );
  return changes === 1;
}

// last_used_at is recorded at most once a minute per key: exact enough for "last used",
// and a busy key does not turn every read into a write.
const LAST_USED_GRANULARITY_MS = 60_000;
const lastUsedWritten = new Map<string, number>();

export type AuthenticatedKey = { id: string; appId: number; scopes: Scope[] };

/** The key a bearer token names, when its secret matches and it is not revoked; else null. */
export async function authenticateApiKey(token: string): Promise<AuthenticatedKey | null> {
  const parts = parseApiKeyToken(token);
  if (!parts) return null;
  const row = await sql.one<{ appId: number; secretHash: string; scopes: string; revokedAt: unknown }>(
    `SELECT "appId", "secretHash", "scopes", "revokedAt" FROM "ApiKey" WHERE "id" = ?`,
    [parts.id],
  );
  if (!row || row.revokedAt || !constantTimeEqual(sha256Hex(parts.secret), row.secretHash)) return null;
  const now = Date.now();
  if ((lastUsedWritten.get(parts.id) ?? 0) + LAST_USED_GRANULARITY_MS < now) {
    lastUsedWritten.set(parts.id, now);
    await sql.run(`UPDATE "ApiKey" SET "lastUsedAt" = ? WHERE "id" = ?`, [new Date(now), parts.id]);
  }
  return { id: parts.id, appId: Number(row.appId), scopes: row.scopes.split(" ").filter(Boolean) as Scope[] };
}
