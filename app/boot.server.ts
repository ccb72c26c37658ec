// Work that must be done before the first request (hearing the other instances, the configured
// Convot app and key), then the periodic upkeep.
import { ensureConfiguredApiKey } from "./apps/api-keys.server";
import { ensureConfiguredApp } from "./apps/apps.server";
import { sql } from "./db.server";
import { env } from "./env.server";
import { registerJob, startJobs, stopJobs } from "./jobs/scheduler.server";
import { onDrain } from "./ops/drain.server";
import { fillMissingPrimaryDomains } from "./shopify/shop-domains.server";
import { sweepReconciliation } from "./shopify/reconciliation.server";
import { sweepEndedTrials } from "./shopify/trials.server";
import { pruneDeliveryLog } from "./shopify/webhook-deliveries.server";

// Module state, not globalThis: a process loads this module once (the server build's copy, or a
// script's source copy; never both), and nothing reloads it (docs/decisions/032).
let upkeepStarted = false;
let booting: Promise<void> | undefined;

/** How long boot waits to hear the other instances before serving anyway (their TTLs then cover the gap). */
const LISTEN_WAIT_MS = 5_000;

export async function boot(): Promise<void> {
  await listenToOtherInstances();
  const app = await ensureConfiguredApp({ appKey: env.CONVOT_APP_KEY, identitySecret: env.CONVOT_IDENTITY_SECRET });
  if (env.CONVOT_API_KEY) await ensureConfiguredApiKey(app.id, env.CONVOT_API_KEY);
}

/**
 * The upkeep, hourly by default and once per cluster (docs/decisions/025): trials that ended,
 * the delivery log's old entries, erased contacts' traces in the search index, primary domains
 * of shops cached before they were recorded, reconciliation with Shopify of the shops it has not
 * confirmed lately (ADR 020). Another periodic job is one more registerJob here.
 * The server starts it once booted (entry.server.tsx); a script that boots (the demo seed) does
 * not, nor do the tests, which run jobs themselves.
 */
export function startUpkeep(everyMs = env.UPKEEP_EVERY_SECONDS * 1000): void {
  if (env.NODE_ENV === "test" || upkeepStarted) return;
  upkeepStarted = true;
  registerJob({ name: "trial-sweep", everyMs, run: () => sweepEndedTrials() });
  registerJob({ name: "delivery-log-prune", everyMs, run: () => pruneDeliveryLog() });
  registerJob({ name: "search-upkeep", everyMs, run: () => sql.compactContactSearch() });
  registerJob({ name: "primary-domains", everyMs, run: () => fillMissingPrimaryDomains() });
  registerJob({ name: "reconciliation", everyMs, run: () => sweepReconciliation() });
  startJobs();
  // A draining instance schedules no more runs (a run under way finishes, or its heartbeat lapses).
  onDrain(stopJobs);
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

/** Resolves once boot() has run in this process (once, however often awaited). */
export function booted(): Promise<void> {
  return (booting ??= boot());
}
