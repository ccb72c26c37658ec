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
 * The newest of these events at or before `at` on the merchant's timeline (state as it was then).
 * It walks the timeline index back from `at` to the first match: ~0.25 µs per event passed, the
 * cheapest measured for merchants whose state changed recently; indexes by name were slower here
 * and cost every event insert (ADR 011).
 */
export async function lastEventBefore(
  tx: Sql,
  appContactId: number,
  names: readonly string[],
  at: Date,
): Promise<{ name: string; occurredAt: Date; properties: Record<string, CustomValue | null> } | null> {
  const row = await tx.one<{ name: string; occurredAt: unknown; properties: string }>(
    `SELECT "name", "occurredAt", "properties" FROM "ContactEvent"
     WHERE "appContactId" = ? AND "name" IN (${names.map(() => "?").join(", ")}) AND "occurredAt" <= ?
     ORDER BY "occurredAt" DESC, "id" DESC LIMIT 1`,
    [appContactId, ...names, at],
  );
  return row ? { name: row.name, occurredAt: new Date(String(row.occurredAt instanceof Date ? row.occurredAt.toISOString() : row.occurredAt)), properties: JSON.parse(row.properties) } : null;
}

export async function hasEvent(tx: Sql, appContactId: number, name: string): Promise<boolean> {
  return Boolean(await tx.one(`SELECT 1 AS "x" FROM "ContactEvent" WHERE "appContactId" = ? AND "name" = ? LIMIT 1`, [appContactId, name]));
}
