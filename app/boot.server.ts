// Work that must be done before the first request: the configured Convot app and key.
import { ensureConfiguredApiKey } from "./convot/api-keys.server";
import { ensureConfiguredApp } from "./convot/apps.server";
import { purgeErasedFromSearchIndex } from "./convot/contact-search.server";
import { env } from "./env.server";
import { sweepReconciliation } from "./shopify/reconciliation.server";
import { sweepEndedTrials } from "./shopify/trials.server";
import { pruneDeliveryLog } from "./shopify/webhook-deliveries.server";

/**
 * The hourly upkeep: trials that ended, the delivery log's old entries, erased contacts' traces in
 * the search index, reconciliation with Shopify of the shops it has not confirmed lately.
 */
const SWEEP_MS = 60 * 60 * 1000;

export async function boot(): Promise<void> {
  const app = await ensureConfiguredApp({ appKey: env.CONVOT_APP_KEY, identitySecret: env.CONVOT_IDENTITY_SECRET });
  if (env.CONVOT_API_KEY) await ensureConfiguredApiKey(app.id, env.CONVOT_API_KEY);
  if (env.NODE_ENV !== "test") {
    const sweep = async () => {
      await sweepEndedTrials().catch((error) => console.error("[trials] sweep failed:", error));
      await pruneDeliveryLog().catch((error) => console.error("[webhooks] pruning the delivery log failed:", error));
      await purgeErasedFromSearchIndex().catch((error) => console.error("[contacts] purging the search index failed:", error));
      await sweepReconciliation().catch((error) => console.error("[reconciliation] the sweep failed:", error));
    };
    setInterval(sweep, SWEEP_MS).unref();
    void sweep();
  }
}

declare global {
  var __convotBooted: Map<string, Promise<void>> | undefined;
}

/** Resolves once boot() has run for this database in this process (once, however often awaited). */
const registry = (globalThis.__convotBooted ??= new Map());
if (!registry.has(env.DATABASE_URL)) registry.set(env.DATABASE_URL, boot());
export const booted: Promise<void> = registry.get(env.DATABASE_URL)!;
