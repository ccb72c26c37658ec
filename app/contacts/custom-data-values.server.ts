// The CustomDataValue table: a contact's custom data in one app, one row per key, each with
// the time its value was true at the source.
import { sql } from "../db.server";
import { toDate, type Sql, type Statement } from "../db/sql.server";
import { markAppContact } from "./app-contacts.server";
import type { CustomDataPlan } from "./custom-data";
import { decodeCustomValue, encodeCustomValue, type CustomValue } from "./validation";

export async function readCustomData(db: Sql, appContactId: number): Promise<Record<string, CustomValue>> {
  const rows = await db.all<{ key: string; value: string; type: string }>(
    `SELECT "key", "value", "type" FROM "CustomDataValue" WHERE "appContactId" = ?`,
    [appContactId],
  );
  return Object.fromEntries(rows.map((row) => [row.key, decodeCustomValue(row.value, row.type)]));
}

/** The newest assertedAt among these keys of the contact's custom data (null when none is stored). */
export async function latestAssertedAt(db: Sql, appContactId: number, keys: readonly string[]): Promise<Date | null> {
  const row = await db.one<{ at: unknown }>(
    `SELECT MAX("assertedAt") AS "at" FROM "CustomDataValue" WHERE "appContactId" = ? AND "key" IN (${keys.map(() => "?").join(", ")})`,
    [appContactId, ...keys],
  );
  return row?.at ? toDate(row.at) : null;
}

/**
 * Applies a merge plan. Each key carries `assertedAt`, when its value was true at the source:
 * a write older than what is stored changes nothing (late webhooks never roll state back).
 * With `fillOnly`, existing keys are left alone even when the plan names them (a concurrent
 * write may have filled the blank since the plan was made). With `authoritative`, the plan is
 * written whatever is stored: its writer has seen every fact about these keys (the merchant fold).
 */
export async function applyCustomData(
  db: Sql,
  appId: number,
  appContactId: number,
  plan: CustomDataPlan,
  options: CustomDataWriteOptions & { touch?: boolean },
): Promise<void> {
  for (const { text, params } of customDataWrites(appId, appContactId, plan, options)) await db.run(text, params);
  // (`touch: false`: the caller updates the record itself, once, with its other changes.)
  if (options.touch !== false && (plan.remove.length || Object.keys(plan.set).length)) await markAppContact(db, appContactId, { touched: true });
}

export type CustomDataWriteOptions = {
  assertedAt: Date;
  fillOnly?: boolean;
  authoritative?: boolean;
  /**
   * Only keys the contact holds already are written (an UPDATE, not an upsert): a key deleted
   * meanwhile stays deleted, as if this write had come first. For a writer that planned from a
   * read outside its transaction: it never adds keys past the per-contact limit.
   */
  existingOnly?: boolean;
};

/** The statements applying a merge plan (see applyCustomData). */
export function customDataWrites(appId: number, appContactId: number, plan: CustomDataPlan, options: CustomDataWriteOptions): Statement[] {
  const statements: Statement[] = [];
  const newer = options.authoritative ? "" : `"assertedAt" <= ?`;
  for (const [key, raw] of Object.entries(plan.set)) {
    const { value, type } = encodeCustomValue(raw);
    if (options.existingOnly) {
      if (options.fillOnly) continue;
      statements.push({
        text: `UPDATE "CustomDataValue" SET "value" = ?, "type" = ?, "assertedAt" = ? WHERE "appContactId" = ? AND "key" = ?${newer ? ` AND ${newer}` : ""}`,
        params: [value, type, options.assertedAt, appContactId, key, ...(newer ? [options.assertedAt] : [])],
      });
      continue;
    }
    statements.push({
      text: `INSERT INTO "CustomDataValue" ("appContactId", "appId", "key", "value", "type", "assertedAt") VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT ("appContactId", "key") DO ${
         options.fillOnly
           ? "NOTHING"
           : `UPDATE SET "value" = excluded."value", "type" = excluded."type", "assertedAt" = excluded."assertedAt"
              ${options.authoritative ? "" : `WHERE "CustomDataValue"."assertedAt" <= excluded."assertedAt"`}`
       }`,
      params: [appContactId, appId, key, value, type, options.assertedAt],
    });
  }
  for (const key of plan.remove) {
    statements.push({
      text: `DELETE FROM "CustomDataValue" WHERE "appContactId" = ? AND "key" = ? AND "assertedAt" <= ?`,
      params: [appContactId, key, options.assertedAt],
    });
  }
  return statements;
}

export async function readCustomDataFor(appContactIds: number[]): Promise<Map<number, Record<string, CustomValue>>> {
  const byId = new Map<number, Record<string, CustomValue>>();
  if (appContactIds.length === 0) return byId;
  const rows = await sql.all<{ appContactId: number; key: string; value: string; type: string }>(
    `SELECT "appContactId", "key", "value", "type" FROM "CustomDataValue" WHERE "appContactId" IN (${appContactIds.map(() => "?").join(", ")})`,
    appContactIds,
  );
  for (const row of rows) {
    const id = Number(row.appContactId);
    const data = byId.get(id) ?? {};
    data[row.key] = decodeCustomValue(row.value, row.type);
    byId.set(id, data);
  }
  return byId;
}
