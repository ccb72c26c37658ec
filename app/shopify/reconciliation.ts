// What Shopify's Admin API says is true of a merchant, against what its fold says: the facts that
// would bring the fold in line, and the drift they correct, in words. Pure (docs/decisions/020).
import { FREE_PLAN } from "./billing";
import type { Fact, FoldState } from "./merchant-fold";

/** The merchant as `currentAppInstallation` and `shop` describe it (RECONCILE_QUERY). */
export type ShopifyTruth = {
  shopId: string | null;
  shopPlan: string | null;
  subscriptions: { id: string; name: string; status: string; createdAt: string | null; price: string | null; interval: string | null }[];
  purchases: { id: string; name: string; status: string; createdAt: string | null; price: string | null }[];
};

export const RECONCILE_QUERY = `#graphql
  query ConvotReconcile {
    shop { id myshopifyDomain plan { displayName } }
    currentAppInstallation {
      activeSubscriptions {
        id name status createdAt trialDays test
        lineItems { plan { pricingDetails { __typename ... on AppRecurringPricing { interval price { amount currencyCode } } } } }
      }
      oneTimePurchases(first: 25, sortKey: CREATED_AT, reverse: true) {
        nodes { id name status createdAt price { amount currencyCode } }
      }
    }
  }`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Admin API's JSON, whose shape this module checks as it reads it
type Json = Record<string, any>;
const str = (value: unknown) => (typeof value === "string" && value ? value : null);

/** The truth in a ConvotReconcile response's `data`; null when it has none. */
export function truthFrom(body: Json): ShopifyTruth | null {
  const data = body?.data;
  const installation = data?.currentAppInstallation;
  if (!installation) return null;
  return {
    shopId: str(data.shop?.id)?.replace(/^.*\//, "") ?? null,
    shopPlan: str(data.shop?.plan?.displayName),
    subscriptions: (installation.activeSubscriptions ?? []).map((s: Json) => {
      const recurring = (s.lineItems ?? [])
        .map((item: Json) => item?.plan?.pricingDetails)
        .find((p: Json) => p?.__typename === "AppRecurringPricing");
      return {
        id: String(s.id),
        name: String(s.name ?? ""),
        status: String(s.status ?? "").toUpperCase(),
        createdAt: str(s.createdAt),
        price: str(recurring?.price?.amount),
        interval: str(recurring?.interval),
      };
    }),
    purchases: (installation.oneTimePurchases?.nodes ?? []).map((p: Json) => ({
      id: String(p.id),
      name: String(p.name ?? ""),
      status: String(p.status ?? "").toUpperCase(),
      createdAt: str(p.createdAt),
      price: str(p.price?.amount),
    })),
  };
}

/**
 * How long to wait before asking again, from a THROTTLED response's cost extension: the points
 * the query asks for, less those available, at the bucket's restore rate. Null when not throttled.
 */
export function throttledFor(body: Json): number | null {
  const errors: Json[] = Array.isArray(body?.errors) ? body.errors : [];
  if (!errors.some((error) => error?.extensions?.code === "THROTTLED")) return null;
  const cost = body?.extensions?.cost ?? {};
  const status = cost.throttleStatus ?? {};
  const missing = Number(cost.requestedQueryCost ?? 50) - Number(status.currentlyAvailable ?? 0);
  const rate = Number(status.restoreRate) > 0 ? Number(status.restoreRate) : 50;
  return Math.max(0, Math.ceil((missing / rate) * 1000));
}

/** Subscription statuses under which the merchant is on the subscription's plan. */
const ON_PLAN = new Set(["ACTIVE", "FROZEN"]);

/**
 * The facts (at `at`, when Shopify said so) that bring the fold's state in line with Shopify's,
 * and the drift each corrects. An unknown active subscription and a missing one both take effect
 * at `at`: the time they changed is unknown, only that they had by then. A purchase keeps its own time.
 */
export function driftFrom(state: FoldState, truth: ShopifyTruth, at: Date): { facts: Fact[]; drift: string[] } {
  const facts: Fact[] = [];
  const drift: string[] = [];
  const subscription = (id: string, status: string, data: Fact["data"]) =>
    facts.push({ kind: "subscription", subject: id, status, occurredAt: at, data });

  if (state.installed !== true) {
    facts.push({ kind: "installation", subject: "", status: "installed", occurredAt: at, data: { shopify_plan: null } });
    drift.push(state.installed === false ? "installed at Shopify, recorded as uninstalled" : "installed at Shopify, no install recorded");
  }
  const active = new Set(truth.subscriptions.filter((s) => ON_PLAN.has(s.status)).map((s) => s.id));
  // The newest active subscription is the plan: restated if the fold has the merchant on another.
  const newest = [...truth.subscriptions]
    .filter((s) => s.status === "ACTIVE")
    .sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))[0];
  for (const s of truth.subscriptions) {
    const known = state.subscriptions[s.id];
    const offPlan = s === newest && state.current !== s.id;
    if (known?.status === s.status && !offPlan) continue;
    subscription(s.id, s.status, { name: s.name, price: s.price, interval: s.interval, created_at: s.createdAt });
    drift.push(
      known?.status === s.status
        ? `${s.name} (${s.id}) is the plan at Shopify, recorded on ${state.plan ?? FREE_PLAN}`
        : `${s.name} (${s.id}) is ${s.status} at Shopify, recorded as ${known?.status ?? "unknown"}`,
    );
  }
  let onPlanKnown = false;
  for (const [id, known] of Object.entries(state.subscriptions)) {
    if (!ON_PLAN.has(known.status)) continue;
    onPlanKnown = true;
    if (active.has(id)) continue;
    subscription(id, "CANCELLED", { name: known.plan });
    drift.push(`${known.plan} (${id}) is no longer active at Shopify, recorded as ${known.status}`);
  }
  // A plan recorded before subscriptions were kept by id (a legacy merchant): ended by name.
  if (!onPlanKnown && active.size === 0 && state.plan && state.plan !== FREE_PLAN) {
    subscription("", "CANCELLED", { name: state.plan });
    drift.push(`no active subscription at Shopify, recorded on ${state.plan}`);
  }
  for (const p of truth.purchases) {
    if (p.status !== "ACTIVE" || state.purchases[p.id] === "ACTIVE") continue;
    const bought = p.createdAt && new Date(p.createdAt) < at ? new Date(p.createdAt) : at;
    facts.push({ kind: "purchase", subject: p.id, status: "ACTIVE", occurredAt: bought, data: { name: p.name, price: p.price } });
    drift.push(`one-time purchase ${p.name} (${p.id}) was never recorded`);
  }
  if (truth.shopPlan && truth.shopPlan !== state.shopifyPlan) {
    facts.push({ kind: "shop", subject: "", status: truth.shopPlan, occurredAt: at, data: {} });
    drift.push(`Shopify plan is ${truth.shopPlan}, recorded as ${state.shopifyPlan ?? "unknown"}`);
  }
  return { facts, drift };
}
