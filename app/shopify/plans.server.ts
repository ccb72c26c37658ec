// The admin Plans page: what the merchant is on (billing.check) and choosing or cancelling
// (billing.request / billing.cancel), with test charges outside production.
import { ConvotError } from "../errors";
import { env } from "../env.server";
import { FREE_PLAN, PLAN_NAMES, PLANS, findPlan } from "./billing";

type Billing = {
  check: (options: { plans: string[]; isTest: boolean }) => Promise<{ appSubscriptions: { id: string; name: string }[] }>;
  request: (options: { plan: string; isTest: boolean; returnUrl: string }) => Promise<never>;
  cancel: (options: { subscriptionId: string; isTest: boolean; prorate: boolean }) => Promise<unknown>;
};

const isTest = () => env.NODE_ENV !== "production";

export async function planPage(billing: Billing) {
  const { appSubscriptions } = await billing.check({ plans: PLAN_NAMES, isTest: isTest() });
  const active = appSubscriptions[0];
  const current = active
    ? { handle: findPlan(active.name)?.handle ?? active.name, subscriptionId: active.id }
    : { handle: FREE_PLAN, subscriptionId: null };
  return {
    test: isTest(),
    current,
    plans: [
      { handle: FREE_PLAN, name: "Free", price: "$0", description: "The chat widget and your storefront inbox.", trial: null },
      ...PLANS.map((plan) => ({
        handle: plan.handle,
        name: plan.name,
        price: `$${plan.amount}/${plan.interval === "ANNUAL" ? "year" : "month"}${plan.usageCap ? ` + usage (capped at $${plan.usageCap.amount})` : ""}`,
        description: plan.description,
        trial: plan.trialDays ? `${plan.trialDays}-day free trial` : null,
      })),
    ],
  };
}

export async function choosePlan(billing: Billing, input: { intent: string; plan: string; returnUrl: string }) {
  if (input.intent === "subscribe") {
    const plan = findPlan(input.plan);
    if (!plan) throw new ConvotError("unprocessable_entity", `unknown plan "${input.plan}"`);
    return billing.request({ plan: plan.name, isTest: isTest(), returnUrl: input.returnUrl });
  }
  if (input.intent === "cancel") {
    const { appSubscriptions } = await billing.check({ plans: PLAN_NAMES, isTest: isTest() });
    for (const subscription of appSubscriptions) {
      await billing.cancel({ subscriptionId: subscription.id, isTest: isTest(), prorate: true });
    }
    return { cancelled: appSubscriptions.map((s) => s.name) };
  }
  throw new ConvotError("bad_request", `unknown intent "${input.intent}"`);
}
