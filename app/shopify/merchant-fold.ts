// The merchant's billing and install state, and the events its timeline tells of them, as a fold
// over what Shopify said (facts), in the order of each fact's own time. Pure: the same facts give
// the same state and the same events whatever order they arrived in (docs/decisions/019).
import type { CustomValue } from "../contacts/validation";
import { FREE_PLAN, monthlyUsd, planHandle, trialDaysOf } from "./billing";

export type FactKind = "baseline" | "installation" | "shop" | "subscription" | "purchase" | "usage";
export type FactSource = "webhook" | "reconciliation" | "install" | "baseline";
export type FactData = Record<string, CustomValue | null>;

/** One thing Shopify said, at the time it says it happened. */
export type Fact = {
  kind: FactKind;
  /** The subscription's or purchase's id; "" for facts about no such thing. */
  subject: string;
  /** ACTIVE, CANCELLED, … (subscriptions, purchases); installed | uninstalled; the Shopify plan (shop). */
  status: string;
  occurredAt: Date;
  data: FactData;
};

export type FoldState = {
  plan?: string;
  mrr?: number;
  billingStatus?: "active" | "frozen" | "cancelled";
  trialEndsAt?: string;
  trialUsed: boolean;
  /** The subscription the merchant is on (its id), null when none is known. */
  current: string | null;
  /** Each subscription's last status and plan: the state is keyed by subscription. */
  subscriptions: Record<string, { status: string; plan: string }>;
  /** Each one-time purchase's last status. */
  purchases: Record<string, string>;
  installed?: boolean;
  everInstalled: boolean;
  installDate?: string;
  uninstalledAt?: string;
  shopifyPlan?: string;
};

export type DerivedEvent = { name: string; properties: Record<string, CustomValue | null> };

/**
 * Properties a Shopify event carries beside what happened: where it came from (`source`:
 * webhook, reconciliation, install; Shopify's webhook and event ids), whether it arrived after
 * later facts (`received_late`), and whether a late fact changed how it reads (`corrected_at`,
 * `correction`: what it said before and why).
 */
export const PROVENANCE_KEYS = ["source", "shopify_webhook_id", "shopify_event_id", "received_late", "corrected_at", "correction"] as const;

export const initialState = (): FoldState => ({ trialUsed: false, current: null, subscriptions: {}, purchases: {}, everInstalled: false });

// Facts of one instant are folded in a fixed order: an install before what happens to the shop,
// a subscription activated before the one it replaces is cancelled, an uninstall last.
const KIND_RANK: Record<string, number> = { baseline: 0, installed: 1, shop: 2, subscription: 3, purchase: 4, usage: 5, uninstalled: 6 };
const STATUS_RANK: Record<string, number> = { PENDING: 0, ACCEPTED: 1, ACTIVE: 2, FROZEN: 3, DECLINED: 4, EXPIRED: 5, CANCELLED: 6 };

/**
 * Where a fact sits in the fold: its time, then a rank by what it is, then its subject and status.
 * A string that sorts as the facts do; two distinct facts never share one (their unique key is in it).
 */
export function factKey(fact: Pick<Fact, "kind" | "subject" | "status" | "occurredAt">): string {
  const kind = fact.kind === "installation" ? fact.status : fact.kind;
  return `${fact.occurredAt.toISOString()}|${KIND_RANK[kind] ?? 9}|${STATUS_RANK[fact.status] ?? 9}|${fact.subject}|${fact.status}`;
}

const num = (value: unknown): number | undefined => {
  if (value === null || value === undefined || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};
const round = (n: number) => Math.round(n * 100) / 100;

function subscriptionStep(s: FoldState, fact: Fact): DerivedEvent | null {
  const plan = planHandle(String(fact.data.name ?? ""));
  const id = fact.subject;
  s.subscriptions[id] = { status: fact.status, plan };
  const fromPlan = s.plan ?? FREE_PLAN;
  const previousPrice = fromPlan === FREE_PLAN ? 0 : (s.mrr ?? monthlyUsd(fromPlan));
  switch (fact.status) {
    case "ACTIVE": {
      const price = monthlyUsd(plan, { price: num(fact.data.price), interval: String(fact.data.interval ?? "") });
      const wasFrozen = s.billingStatus === "frozen";
      Object.assign(s, { plan, mrr: price, current: id, billingStatus: "active" });
      const trialDays = trialDaysOf(plan);
      if (trialDays > 0 && !s.trialUsed) {
        const createdAt = typeof fact.data.created_at === "string" ? new Date(fact.data.created_at) : fact.occurredAt;
        const start = Number.isNaN(createdAt.getTime()) || createdAt > fact.occurredAt ? fact.occurredAt : createdAt;
        s.trialUsed = true;
        s.trialEndsAt = new Date(start.getTime() + trialDays * 86_400_000).toISOString();
        return { name: "trial_started", properties: { plan, trial_days: trialDays, trial_ends_at: s.trialEndsAt, subscription_id: id || null } };
      }
      if (price !== previousPrice && plan !== fromPlan) {
        return {
          name: price > previousPrice ? "plan_upgraded" : "plan_downgraded",
          properties: { from_plan: fromPlan, to_plan: plan, mrr_delta: round(price - previousPrice), subscription_id: id || null },
        };
      }
      return wasFrozen ? { name: "charge_recovered", properties: { plan } } : null;
    }
    case "CANCELLED": {
      // Switching plans cancels the old subscription: only the merchant's current one ends the plan.
      const current = s.current === id || (s.current === null && s.plan === plan);
      if (!current || fromPlan === FREE_PLAN) return null;
      Object.assign(s, { plan: FREE_PLAN, mrr: 0, current: null, billingStatus: "cancelled" });
      return { name: "plan_cancelled", properties: { plan } };
    }
    case "FROZEN":
      s.billingStatus = "frozen";
      return { name: "charge_failed", properties: { plan } };
    case "DECLINED":
      return { name: "charge_declined", properties: { plan } };
    case "EXPIRED":
      return { name: "charge_expired", properties: { plan } };
    default:
      return null; // PENDING, ACCEPTED: nothing has happened to the merchant yet
  }
}

function installationStep(s: FoldState, fact: Fact): DerivedEvent | null {
  if (fact.status === "installed") {
    if (typeof fact.data.shopify_plan === "string") s.shopifyPlan = fact.data.shopify_plan;
    if (s.installed === true) return null; // a re-authorisation while installed
    const reinstall = s.everInstalled;
    Object.assign(s, { installed: true, everInstalled: true });
    s.installDate ??= fact.occurredAt.toISOString().slice(0, 10);
    s.plan ??= FREE_PLAN;
    return { name: "shop_installed", properties: { reinstall, shopify_plan: (fact.data.shopify_plan as string | undefined) ?? null } };
  }
  // Every uninstall is one: two in a row mean an install in between that nobody told us of.
  Object.assign(s, { installed: false, uninstalledAt: fact.occurredAt.toISOString() });
  return { name: "shop_uninstalled", properties: {} };
}

/** The state before `fact` becomes the state after it (in place); the event it reads as, if any. */
export function step(s: FoldState, fact: Fact): DerivedEvent | null {
  switch (fact.kind) {
    case "subscription":
      return subscriptionStep(s, fact);
    case "installation":
      return installationStep(s, fact);
    case "shop": {
      const from = s.shopifyPlan;
      s.shopifyPlan = fact.status;
      return from && from !== fact.status ? { name: "shopify_plan_changed", properties: { from, to: fact.status } } : null;
    }
    case "purchase": {
      const was = s.purchases[fact.subject];
      s.purchases[fact.subject] = fact.status;
      if (fact.status !== "ACTIVE" || was === "ACTIVE") return null;
      const price = num(fact.data.price);
      return { name: "one_time_purchase", properties: { name: String(fact.data.name ?? ""), ...(price !== undefined ? { price } : {}) } };
    }
    case "usage":
      return {
        name: "usage_cap_approaching",
        properties: {
          balance_used: num(fact.data.balance_used) ?? null,
          capped_amount: num(fact.data.capped_amount) ?? null,
          currency: String(fact.data.currency ?? "USD"),
          plan: String(fact.data.name ?? ""),
        },
      };
    case "baseline":
      // The state recorded before facts were kept: it stands in for the facts nobody kept.
      Object.assign(s, JSON.parse(String(fact.data.state ?? "{}")));
      return null;
  }
}

/** The custom-data keys the fold owns, as the state has them (keys it never set are absent). */
export function customDataOf(s: FoldState): Record<string, CustomValue> {
  const values: Record<string, CustomValue | undefined> = {
    plan: s.plan,
    mrr_usd: s.mrr,
    billing_status: s.billingStatus,
    trial_ends_at: s.trialEndsAt,
    active: s.installed,
    install_date: s.installDate,
    uninstalled_at: s.uninstalledAt,
    shopify_plan: s.shopifyPlan,
  };
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Record<string, CustomValue>;
}

export const FOLD_KEYS = ["plan", "mrr_usd", "billing_status", "trial_ends_at", "active", "install_date", "uninstalled_at", "shopify_plan"] as const;
