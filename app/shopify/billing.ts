// This app's billing plans, defined once: the shopifyApp() billing configuration and the
// catalog the webhook mapping prices plans with (monthly USD for mrr_usd / mrr_delta).
import { BillingInterval } from "@shopify/shopify-api";

export const FREE_PLAN = "free";

type PlanDefinition = {
  /** The subscription name Shopify shows and sends back in app_subscriptions/update. */
  name: string;
  /** What custom_data.plan and event properties say. */
  handle: string;
  amount: number;
  interval: BillingInterval.Every30Days | BillingInterval.Annual;
  trialDays: number;
  usageCap?: { amount: number; terms: string };
  description: string;
};

export const PLANS: PlanDefinition[] = [
  {
    name: "Pro",
    handle: "pro",
    amount: 19,
    interval: BillingInterval.Every30Days,
    trialDays: 14,
    description: "Unlimited conversations, contact events and the full merchant context.",
  },
  {
    name: "Plus",
    handle: "plus",
    amount: 49,
    interval: BillingInterval.Every30Days,
    trialDays: 0,
    usageCap: { amount: 100, terms: "$0.02 per AI-drafted reply, capped at $100 a month" },
    description: "Everything in Pro, several inboxes and AI-drafted replies (usage-billed, capped).",
  },
];

/** The `billing` option of shopifyApp(). */
export const billingConfig = Object.fromEntries(
  PLANS.map((plan) => [
    plan.name,
    {
      trialDays: plan.trialDays || undefined,
      lineItems: [
        { amount: plan.amount, currencyCode: "USD", interval: plan.interval },
        ...(plan.usageCap
          ? [{ amount: plan.usageCap.amount, currencyCode: "USD", interval: BillingInterval.Usage, terms: plan.usageCap.terms }]
          : []),
      ],
    },
  ]),
) as Record<
  string,
  {
    trialDays?: number;
    lineItems: (
      | { amount: number; currencyCode: string; interval: BillingInterval.Every30Days | BillingInterval.Annual }
      | { amount: number; currencyCode: string; interval: BillingInterval.Usage; terms: string }
    )[];
  }
>;

export const PLAN_NAMES = PLANS.map((plan) => plan.name);

export function findPlan(nameOrHandle: string | null | undefined): PlanDefinition | undefined {
  const key = String(nameOrHandle ?? "")
    .trim()
    .toLowerCase();
  return PLANS.find((plan) => plan.handle === key || plan.name.toLowerCase() === key);
}

/** The handle a subscription name maps to (an unknown plan keeps a slug of its name). */
export function planHandle(name: string): string {
  return (
    findPlan(name)?.handle ??
    (name
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "_")
      .replace(/^_+|_+$/g, "") ||
      FREE_PLAN)
  );
}

/** A plan's recurring price as monthly USD (annual ÷ 12); free and unknown plans are 0 unless a price is given. */
export function monthlyUsd(handle: string, fallback?: { price?: number; interval?: string }): number {
  if (handle === FREE_PLAN) return 0;
  const plan = findPlan(handle);
  if (plan) return plan.interval === BillingInterval.Annual ? round(plan.amount / 12) : plan.amount;
  if (fallback?.price !== undefined && Number.isFinite(fallback.price)) {
    return /annual/i.test(fallback.interval ?? "") ? round(fallback.price / 12) : fallback.price;
  }
  return 0;
}

const round = (n: number) => Math.round(n * 100) / 100;

export const trialDaysOf = (handle: string) => findPlan(handle)?.trialDays ?? 0;
