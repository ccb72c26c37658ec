// Work that must be done before the first request: the configured Convot app and key.
import { ensureConfiguredApiKey } from "./convot/api-keys.server";
import { ensureConfiguredApp } from "./convot/apps.server";
import { purgeErasedFromSearchIndex } from "./convot/contact-search.server";
import { env } from "./env.server";
import { fillMissingPrimaryDomains } from "./shopify/shop-domains.server";
import { sweepEndedTrials } from "./shopify/trials.server";
import { pruneDeliveryLog } from "./shopify/webhook-deliveries.server";

/**
 * The hourly upkeep: trials that ended, the delivery log's old entries, erased contacts' traces in
 * the search index, primary domains of shops cached before they were recorded.
 */
const SWEEP_MS = 60 * 60 * 1000;

/** `upkeep: false` for scripts (the demo seed): they exit, and the upkeep would still be writing. */
export async function boot(options: { upkeep?: boolean } = {}): Promise<void> {
  const app = await ensureConfiguredApp({ appKey: env.CONVOT_APP_KEY, identitySecret: env.CONVOT_IDENTITY_SECRET });
  if (env.CONVOT_API_KEY) await ensureConfiguredApiKey(app.id, env.CONVOT_API_KEY);
  if (env.NODE_ENV !== "test" && options.upkeep !== false) {
    const sweep = async () => {
      await sweepEndedTrials().catch((error) => console.error("[trials] sweep failed:", error));
      await pruneDeliveryLog().catch((error) => console.error("[webhooks] pruning the delivery log failed:", error));
      await purgeErasedFromSearchIndex().catch((error) => console.error("[contacts] purging the search index failed:", error));
      await fillMissingPrimaryDomains().catch((error) => console.error("[shops] filling in primary domains failed:", error));
    };
    setInterval(sweep, SWEEP_MS).unref();
    void sweep();
  }
}

declare global {
  var __convotBooted: Map<string, Promise<void>> | undefined;
}

/** The server's boot, with the upkeep: once for this database in this process, however often awaited. */
export function booted(): Promise<void> {
  const registry = (globalThis.__convotBooted ??= new Map());
  if (!registry.has(env.DATABASE_URL)) registry.set(env.DATABASE_URL, boot());
  return registry.get(env.DATABASE_URL)!;
}
