// The merchant contact: one per shop (external_id = its myshopify domain) in the Shopify app's
// own Convot app. Webhooks and installs record what happened to it and its current state.
import type { Sql } from "../db/sql.server";
import { findAppByPublicKey, type ConvotApp } from "../convot/apps.server";
import { applyCustomData, readCustomData } from "../convot/contacts.server";
import { planCustomData } from "../convot/custom-data";
import { appendEvent, type EventRow } from "../convot/events.server";
import { upsertContact } from "../convot/identify.server";
import type { ContactFields, CustomDataPatch, CustomValue } from "../convot/validation";
import { env } from "../env.server";

/**
 * Keys of the merchant contact that Shopify's webhooks and installs own. The admin widget sends
 * them too (suggested fields), but an identify may only fill them when blank: otherwise a page
 * rendered before a billing webhook, or a merchant replaying their own signed identify, would
 * overwrite newer facts.
 */
export const WEBHOOK_OWNED_KEYS = [
  "plan",
  "active",
  "install_date",
  "uninstalled_at",
  "mrr_usd",
  "trial_ends_at",
  "billing_status",
  "shopify_plan",
  "shopify_domain",
] as const;

export function protectedKeysFor(app: { publicKey: string }): readonly string[] {
  return app.publicKey === env.CONVOT_APP_KEY ? WEBHOOK_OWNED_KEYS : [];
}

export async function merchantApp(db: Sql): Promise<ConvotApp> {
  const app = await findAppByPublicKey(env.CONVOT_APP_KEY, db);
  if (!app) throw new Error(`the configured Convot app ${env.CONVOT_APP_KEY} does not exist (boot creates it)`);
  return app;
}

export type MerchantChange = {
  shop: string;
  /** When it happened at the source: the event's occurred_at and the custom data's assertedAt. */
  occurredAt: Date;
  event?: { name: string; properties: Record<string, CustomValue | null>; idempotencyKey?: string };
  /** Trusted writes, applied only over values asserted no later than occurredAt. */
  customData?: CustomDataPatch;
  /** Written only where the key is blank (install_date: first install only). */
  customDataIfBlank?: Record<string, CustomValue>;
  fields?: ContactFields;
};

export type MerchantRecord = { appContactId: number; event?: EventRow };

/** Finds or creates the shop's merchant contact and applies the change, inside `tx`. */
export async function applyMerchantChange(tx: Sql, change: MerchantChange): Promise<MerchantRecord> {
  const app = await merchantApp(tx);
  const { appContact } = await upsertContact(
    app,
    { externalId: change.shop, ...change.fields },
    change.customData ?? {},
    { trusted: true, shopifyDomain: change.shop, db: tx, assertedAt: change.occurredAt, system: true },
  );
  if (change.customDataIfBlank) {
    const stored = await readCustomData(tx, appContact.id);
    const plan = planCustomData(stored, change.customDataIfBlank, "untrusted", false, { enforceLimit: false });
    await applyCustomData(tx, app.id, appContact.id, plan, { assertedAt: change.occurredAt, fillOnly: true });
  }
  let event: EventRow | undefined;
  if (change.event) {
    ({ event } = await appendEvent(tx, {
      appId: app.id,
      appContactId: appContact.id,
      name: change.event.name,
      occurredAt: change.occurredAt,
      properties: change.event.properties,
      idempotencyKey: change.event.idempotencyKey ?? null,
    }));
  }
  return { appContactId: appContact.id, event };
}

/** The merchant's record in the Shopify app's Convot app, or null before anything was recorded. */
export async function findMerchant(tx: Sql, shop: string): Promise<{ appContactId: number } | null> {
  const app = await merchantApp(tx);
  const row = await tx.one<{ id: number }>(
    `SELECT ac."id" FROM "AppContact" ac JOIN "Contact" c ON c."id" = ac."contactId"
     WHERE ac."appId" = ? AND c."organizationId" = ? AND c."externalId" = ?`,
    [app.id, app.organizationId, shop],
  );
  return row ? { appContactId: Number(row.id) } : null;
}

/** The merchant's current custom data (empty before anything was recorded). */
export async function merchantCustomData(tx: Sql, appContactId: number): Promise<Record<string, CustomValue>> {
  return readCustomData(tx, appContactId);
}

/**
 * The events a merchant's plan, billing and Shopify plan are read from. Only these are indexed by
 * name (a partial index, ADR 011): an app's own events — any number of them — cost no index
 * write and are never walked. The list and the migration's index predicate must stay identical.
 */
export const STATE_EVENTS = [
  "charge_failed",
  "charge_recovered",
  "plan_cancelled",
  "plan_downgraded",
  "plan_upgraded",
  "shop_installed",
  "shopify_plan_changed",
  "trial_started",
] as const;
export type StateEvent = (typeof STATE_EVENTS)[number];
/**
 * The index's own predicate, repeated in each query so both engines can use the index. Written
 * as equalities joined by OR: SQLite evaluates an IN list of constants through a temporary
 * table built on every execution (~8 µs, more than the lookup).
 */
const IS_STATE_EVENT = `(${STATE_EVENTS.map((name) => `"name" = '${name}'`).join(" OR ")})`;
/**
 * On SQLite the index is named: without statistics SQLite prefers the timeline index for
 * "latest of these names" (ordered by time, LIMIT 1 looks cheap), which walks every event since
 * the last match: ~0.4 ms for a merchant with 2,000 of the app's own events. PostgreSQL plans
 * from its statistics.
 */
const byName = (tx: Sql) => (tx.engine === "sqlite" ? ` INDEXED BY "ContactEvent_stateEvents_idx"` : "");

/** The newest of these events at or before `at` on the merchant's timeline (state as it was then). */
export async function lastEventBefore(
  tx: Sql,
  appContactId: number,
  names: readonly StateEvent[],
  at: Date,
): Promise<{ name: string; occurredAt: Date; properties: Record<string, CustomValue | null> } | null> {
  const row = await tx.one<{ name: string; occurredAt: unknown; properties: string }>(
    `SELECT "name", "occurredAt", "properties" FROM "ContactEvent"${byName(tx)}
     WHERE "appContactId" = ? AND ${IS_STATE_EVENT} AND "name" IN (${names.map(() => "?").join(", ")}) AND "occurredAt" <= ?
     ORDER BY "occurredAt" DESC, "id" DESC LIMIT 1`,
    [appContactId, ...names, at],
  );
  return row ? { name: row.name, occurredAt: new Date(String(row.occurredAt instanceof Date ? row.occurredAt.toISOString() : row.occurredAt)), properties: JSON.parse(row.properties) } : null;
}

export async function hasEvent(tx: Sql, appContactId: number, name: StateEvent): Promise<boolean> {
  return Boolean(
    await tx.one(`SELECT 1 AS "x" FROM "ContactEvent"${byName(tx)} WHERE "appContactId" = ? AND ${IS_STATE_EVENT} AND "name" = ? LIMIT 1`, [appContactId, name]),
  );
}
