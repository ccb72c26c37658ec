// Work that must be done before the first request: the configured Convot app and key.
import { ensureConfiguredApiKey } from "./convot/api-keys.server";
import { ensureConfiguredApp } from "./convot/apps.server";
import { sql } from "./db.server";
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

/** How long boot waits to hear the other instances before serving anyway (their TTLs then cover the gap). */
const LISTEN_WAIT_MS = 5_000;

export async function boot(): Promise<void> {
  await listenToOtherInstances();
  const app = await ensureConfiguredApp({ appKey: env.CONVOT_APP_KEY, identitySecret: env.CONVOT_IDENTITY_SECRET });
  if (env.CONVOT_API_KEY) await ensureConfiguredApiKey(app.id, env.CONVOT_API_KEY);
  if (env.NODE_ENV !== "test") {
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

/**
 * Serving starts once this instance hears the others' notifications (docs/decisions/024): a cache
 * filled before then could keep a row that another instance changes meanwhile.
 */
async function listenToOtherInstances(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), LISTEN_WAIT_MS)));
  const heard = await Promise.race([sql.listening().then(() => true), late]);
  clearTimeout(timer);
  if (!heard) console.error(`[notify] not listening to the other instances after ${LISTEN_WAIT_MS} ms; serving anyway, still trying`);
}

declare global {
  var __convotBooted: Map<string, Promise<void>> | undefined;
}

/** Resolves once boot() has run for this database in this process (once, however often awaited). */
const registry = (globalThis.__convotBooted ??= new Map());
if (!registry.has(env.DATABASE_URL)) registry.set(env.DATABASE_URL, boot());
export const booted: Promise<void> = registry.get(env.DATABASE_URL)!;
