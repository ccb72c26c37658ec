// Model functions for what Shopify said about merchants (MerchantFact) and the fold kept of it
// (MerchantState). Every function takes the merchant app's id and puts it in the WHERE.
import { toDate, type Sql } from "../db/sql.server";
import { initialState, type Fact, type FactSource, type FoldState } from "./merchant-fold";

export type NewFact = Fact & { source: FactSource; webhookId?: string | null; eventId?: string | null; receivedAt: Date };
export type StoredFact = NewFact & { id: number; sortKey: string; arrivedLate: boolean; reads: string | null };

/** The timeline event a fact reads as carries this idempotency key (unique per app). */
export const factEventKey = (appContactId: number, sortKey: string) => `shopify-fact:${appContactId}:${sortKey}`;

/**
 * Stores a fact with the event it reads as; one already stored (the same merchant and sort key:
 * kind, subject, status and time) is skipped. Returns its id, or null when it was there already.
 */
export async function insertFact(
  db: Sql,
  appId: number,
  appContactId: number,
  fact: NewFact & { sortKey: string; arrivedLate: boolean; reads: string | null },
): Promise<number | null> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO "MerchantFact" ("appId", "appContactId", "kind", "subject", "status", "occurredAt", "sortKey", "data", "source", "webhookId", "eventId", "arrivedLate", "receivedAt", "reads")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("appContactId", "sortKey") DO NOTHING RETURNING "id"`,
    [
      appId,
      appContactId,
      fact.kind,
      fact.subject,
      fact.status,
      fact.occurredAt,
      fact.sortKey,
      JSON.stringify(fact.data),
      fact.source,
      fact.webhookId ?? null,
      fact.eventId ?? null,
      fact.arrivedLate,
      fact.receivedAt,
      fact.reads,
    ],
  );
  return row ? Number(row.id) : null;
}

/** A fact as a re-fold reads it: what it says, and the event it was last read as. */
export type FoldedFact = Fact & { id: number; sortKey: string; reads: string | null };

/** Every fact of the merchant, in the fold's order (without provenance: see findFactProvenance). */
export async function listFacts(db: Sql, appId: number, appContactId: number): Promise<FoldedFact[]> {
  const rows = await db.all<Record<string, unknown>>(
    `SELECT "id", "kind", "subject", "status", "occurredAt", "sortKey", "data", "reads"
     FROM "MerchantFact" WHERE "appContactId" = ? AND "appId" = ? ORDER BY "sortKey"`,
    [appContactId, appId],
  );
  return rows.map((row) => ({
    id: Number(row.id),
    kind: row.kind as Fact["kind"],
    subject: String(row.subject),
    status: String(row.status),
    occurredAt: toDate(row.occurredAt),
    sortKey: String(row.sortKey),
    data: JSON.parse(String(row.data)),
    reads: (row.reads as string | null) ?? null,
  }));
}

/** Where a stored fact came from. */
export async function findFactProvenance(
  db: Sql,
  appId: number,
  factId: number,
): Promise<Pick<StoredFact, "source" | "webhookId" | "eventId" | "arrivedLate">> {
  const row = await db.one<Record<string, unknown>>(
    `SELECT "source", "webhookId", "eventId", "arrivedLate" FROM "MerchantFact" WHERE "id" = ? AND "appId" = ?`,
    [factId, appId],
  );
  return {
    source: row?.source as FactSource,
    webhookId: (row?.webhookId as string | null) ?? null,
    eventId: (row?.eventId as string | null) ?? null,
    arrivedLate: Boolean(row?.arrivedLate),
  };
}

/** Records the event a fact now reads as (null: none). */
export async function saveFactReading(db: Sql, appId: number, factId: number, reads: string | null): Promise<void> {
  await db.run(`UPDATE "MerchantFact" SET "reads" = ? WHERE "id" = ? AND "appId" = ?`, [reads, factId, appId]);
}

export type MerchantStateRow = {
  /** The folded state as stored (JSON): parse it for a state of one's own to step. */
  stateJson: string;
  lastFactKey: string;
};

export async function findMerchantState(db: Sql, appId: number, appContactId: number): Promise<MerchantStateRow | null> {
  const row = await db.one<Record<string, unknown>>(`SELECT "state", "lastFactKey" FROM "MerchantState" WHERE "appContactId" = ? AND "appId" = ?`, [
    appContactId,
    appId,
  ]);
  if (!row) return null;
  return {
    stateJson: String(row.state),
    lastFactKey: String(row.lastFactKey),
  };
}

export async function saveMerchantState(db: Sql, appId: number, appContactId: number, state: FoldState, lastFactKey: string): Promise<void> {
  await db.run(
    `INSERT INTO "MerchantState" ("appContactId", "appId", "state", "lastFactKey") VALUES (?, ?, ?, ?)
     ON CONFLICT ("appContactId") DO UPDATE SET "state" = excluded."state", "lastFactKey" = excluded."lastFactKey"`,
    [appContactId, appId, JSON.stringify(state), lastFactKey],
  );
}

export const parseFoldState = (json: string): FoldState => ({ ...initialState(), ...JSON.parse(json) });
