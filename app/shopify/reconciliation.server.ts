// Reconciliation: asks Shopify what is true of a merchant — its app installation's active
// subscriptions and one-time purchases, its shop's plan — through the Admin GraphQL API with the
// shop's offline session, and records what the merchant's fold missed as facts with source
// "reconciliation" (docs/decisions/020). Runs when a merchant opens the embedded admin (at most
// every few minutes per shop) and in a periodic sweep over installed shops.
import { GraphqlQueryError, HttpResponseError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { sql } from "../db.server";
import { env } from "../env.server";
import { unauthenticated } from "../shopify.server";
import { DEMO_SHOP } from "./demo";
import { foldStateOf, recordMerchantFacts } from "./merchant-state.server";
import { RECONCILE_QUERY, driftFrom, throttledFor, truthFrom } from "./reconciliation";
import { deleteSessionsForShop } from "./sessions.server";
import { claimReconciliation, listShopsToReconcile, recordReconciliation } from "./shop-reconciliations.server";
import { saveShopId } from "./shops.server";

/** A shop is reconciled at most this often, whoever asks (the embedded admin, the sweep). */
export const RECONCILE_INTERVAL_MS = 5 * 60_000;
/** The sweep re-confirms a shop once this much time has passed since Shopify last confirmed it. */
export const SWEEP_AGE_MS = 12 * 3_600_000;
/** A throttled query is asked again after the wait Shopify's cost extension implies, if that is this short. */
const MAX_THROTTLE_WAIT_MS = 10_000;

/** One Admin GraphQL query; Shopify's answer as its HTTP status and JSON body, errors included. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Admin API's JSON, whose shape the reconciliation checks as it reads it
export type AdminGraphql = (query: string) => Promise<{ status: number; body: any }>;

export type ReconcileOutcome = "skipped" | "no_session" | "confirmed" | "corrected" | "throttled" | "token_refused" | "failed";

/** Admin GraphQL through the shop's offline session (refreshed if it expires); null without one. */
export async function offlineAdminGraphql(shop: string): Promise<AdminGraphql | null> {
  let admin: Awaited<ReturnType<typeof unauthenticated.admin>>["admin"];
  try {
    ({ admin } = await unauthenticated.admin(shop));
  } catch (error) {
    if (error instanceof SessionNotFoundError) return null;
    throw error;
  }
  return async (query) => {
    try {
      const response = await admin.graphql(query);
      return { status: response.status, body: await response.json() };
    } catch (error) {
      // GraphQL errors (THROTTLED among them) come back as Shopify sent them: errors beside the cost extension.
      if (error instanceof GraphqlQueryError) {
        const raw = (error.body ?? {}) as { data?: unknown; extensions?: unknown; errors?: { graphQLErrors?: unknown[] } };
        return { status: 200, body: { data: raw.data, errors: raw.errors?.graphQLErrors ?? [], extensions: raw.extensions } };
      }
      if (error instanceof HttpResponseError) return { status: error.response.code, body: error.response.body };
      throw error;
    }
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Reconciles one shop unless it was reconciled less than RECONCILE_INTERVAL_MS ago. A THROTTLED
 * answer is asked again once, after the wait its cost extension implies (if short); a 401 — the
 * offline token refused — means the app is no longer installed.
 */
export async function reconcileShop(shop: string, options: { graphql?: AdminGraphql | null; now?: () => Date } = {}): Promise<ReconcileOutcome> {
  const now = options.now ?? (() => new Date());
  if (!(await claimReconciliation(shop, now(), RECONCILE_INTERVAL_MS))) return "skipped";
  try {
    const graphql = options.graphql !== undefined ? options.graphql : await offlineAdminGraphql(shop);
    if (!graphql) return await finish(shop, { outcome: "no_session" });
    let response = await graphql(RECONCILE_QUERY);
    let wait = throttledFor(response.body);
    if (wait !== null && wait <= MAX_THROTTLE_WAIT_MS) {
      await sleep(wait);
      response = await graphql(RECONCILE_QUERY);
      wait = throttledFor(response.body);
    }
    if (wait !== null) return await finish(shop, { outcome: "throttled" }); // the next sweep asks again
    const at = now();
    if (response.status === 401) return await finish(shop, { outcome: "token_refused", confirmedAt: at, drift: await uninstallRefused(shop, at) });
    const truth = response.status === 200 ? truthFrom(response.body) : null;
    if (!truth) throw new Error(`Admin API answered ${response.status}: ${JSON.stringify(response.body).slice(0, 300)}`);
    const drift = await sql.transaction(async (tx) => {
      if (truth.shopId) await saveShopId(shop, truth.shopId, tx);
      const found = driftFrom(await foldStateOf(tx, shop), truth, at);
      if (found.facts.length)
        await recordMerchantFacts(
          tx,
          shop,
          found.facts.map((fact) => ({ ...fact, source: "reconciliation", receivedAt: at })),
        );
      return found.drift;
    });
    return await finish(shop, { outcome: drift.length ? "corrected" : "confirmed", confirmedAt: at, drift });
  } catch (error) {
    console.error(`[reconciliation] ${shop} failed: ${error instanceof Error ? error.message : String(error)}`);
    return finish(shop, { outcome: "failed" });
  }
}

async function finish(
  shop: string,
  result: { outcome: Exclude<ReconcileOutcome, "skipped">; confirmedAt?: Date; drift?: string[] },
): Promise<ReconcileOutcome> {
  await recordReconciliation(shop, result);
  return result.outcome;
}

/** Shopify refused the shop's offline token: the app was uninstalled, whether or not we were told. */
async function uninstallRefused(shop: string, at: Date): Promise<string[]> {
  return sql.transaction(async (tx) => {
    const state = await foldStateOf(tx, shop);
    await deleteSessionsForShop(shop, tx);
    if (state.installed === false) return [];
    const fact = {
      kind: "installation",
      subject: "",
      status: "uninstalled",
      occurredAt: at,
      data: {},
      source: "reconciliation",
      receivedAt: at,
    } as const;
    await recordMerchantFacts(tx, shop, [fact]);
    return ["Shopify refused the shop's offline token: the app is no longer installed"];
  });
}

/** How long an admin page waits for Shopify's answer before it renders (the reconciliation goes on). */
const ADMIN_OPEN_WAIT_MS = 1500;

/**
 * When a merchant opens the embedded admin: the shop is reconciled if it was not in the last few
 * minutes. The page waits for it (a page rendered meanwhile could show the state it corrects), but
 * never longer than ADMIN_OPEN_WAIT_MS; it never fails the page.
 */
export async function reconcileOnAdminOpen(shop: string): Promise<ReconcileOutcome | "pending"> {
  const reconciled = reconcileShop(shop).catch((error) => {
    console.error(`[reconciliation] ${shop} on admin open failed:`, error);
    return "failed" as const;
  });
  let timer: NodeJS.Timeout | undefined;
  const later = new Promise<"pending">((resolve) => (timer = setTimeout(() => resolve("pending"), ADMIN_OPEN_WAIT_MS)));
  try {
    return await Promise.race([reconciled, later]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The periodic sweep: installed shops not confirmed by Shopify for SWEEP_AGE_MS, the longest
 * unconfirmed first, one at a time (each query costs the shop's own GraphQL bucket; a throttled
 * one waits as Shopify says or is left for the next sweep). Run it once per cluster; returns how
 * many shops ended how.
 */
export async function sweepReconciliation(
  options: { now?: () => Date; limit?: number; graphqlFor?: (shop: string) => Promise<AdminGraphql | null> } = {},
): Promise<Partial<Record<ReconcileOutcome, number>>> {
  const now = options.now ?? (() => new Date());
  const shops = await listShopsToReconcile(new Date(now().getTime() - SWEEP_AGE_MS), options.limit ?? 300);
  const outcomes: Partial<Record<ReconcileOutcome, number>> = {};
  for (const shop of shops) {
    // The demo shop's session holds a token Shopify never issued.
    if (env.DEMO_MODE && shop === DEMO_SHOP) continue;
    const graphql = options.graphqlFor ? await options.graphqlFor(shop) : undefined;
    const outcome = await reconcileShop(shop, { graphql, now });
    outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
  }
  return outcomes;
}
