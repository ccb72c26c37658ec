// The merchant contact: one per shop (external_id = its myshopify domain) in the Shopify app's
// own Convot app. Its Shopify state and events are the fold of what Shopify said (merchant-state.server.ts).
import type { Sql } from "../db/sql.server";
import { findAppByPublicKey, type ConvotApp } from "../apps/apps.server";
import { readCustomData } from "../contacts/custom-data-values.server";
import { upsertContact } from "../contacts/identify.server";
import type { ContactFields, CustomDataPatch, CustomValue } from "../contacts/validation";
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
  /** When it was true at the source: the custom data's assertedAt. */
  occurredAt: Date;
  /** Trusted writes of keys the merchant fold does not own, applied only over values asserted no later. */
  customData?: CustomDataPatch;
  fields?: ContactFields;
};

/** Finds or creates the shop's merchant contact and applies fields and custom data, inside `tx`. */
export async function applyMerchantChange(tx: Sql, change: MerchantChange): Promise<{ appContactId: number }> {
  const app = await merchantApp(tx);
  const { appContact } = await upsertContact(app, { externalId: change.shop, ...change.fields }, change.customData ?? {}, {
    trusted: true,
    shopifyDomain: change.shop,
    db: tx,
    assertedAt: change.occurredAt,
    system: true,
  });
  return { appContactId: appContact.id };
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

/** Whether the merchant's timeline has an event of this name (a legacy merchant's trial, ADR 019). */
export async function hasEvent(tx: Sql, appContactId: number, name: string): Promise<boolean> {
  return Boolean(await tx.one(`SELECT 1 AS "x" FROM "ContactEvent" WHERE "appContactId" = ? AND "name" = ? LIMIT 1`, [appContactId, name]));
}
