// app_subscriptions/update → trial_started, plan_upgraded/downgraded, charge_recovered,
// plan_cancelled, charge_failed, charge_declined/expired; the first matching row wins.
// Each decision uses the merchant's state as it was when the update happened (from the
// timeline), so a late delivery is judged in its own time and never rolls state back.
import type { Sql } from "../../db/sql.server";
import type { CustomDataPatch, CustomValue } from "../../convot/validation";
import { FREE_PLAN, monthlyUsd, planHandle, trialDaysOf } from "../billing";
import { applyMerchantChange, findMerchant, hasEvent, lastEventBefore } from "../merchants.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { payloadTime } from "./timing";

type Subscription = {
  admin_graphql_api_id?: string;
  name?: string;
  status?: string;
  created_at?: string;
  updated_at?: string;
  currency?: string;
  price?: string;
  interval?: string;
};

const PLAN_EVENTS = ["trial_started", "plan_upgraded", "plan_downgraded", "plan_cancelled", "shop_installed"] as const;
const BILLING_EVENTS = ["charge_failed", "charge_recovered", "trial_started", "plan_upgraded", "plan_downgraded", "plan_cancelled"] as const;

/** The plan handle the merchant was on at `at`, read from the timeline. */
async function planAt(tx: Sql, appContactId: number | undefined, at: Date): Promise<{ plan: string; subscriptionId: string | null }> {
  if (appContactId === undefined) return { plan: FREE_PLAN, subscriptionId: null };
  const last = await lastEventBefore(tx, appContactId, PLAN_EVENTS, at);
  if (!last || last.name === "plan_cancelled" || last.name === "shop_installed") return { plan: FREE_PLAN, subscriptionId: null };
  const plan = String(last.properties.to_plan ?? last.properties.plan ?? FREE_PLAN);
  return { plan, subscriptionId: (last.properties.subscription_id as string | undefined) ?? null };
}

async function frozenAt(tx: Sql, appContactId: number | undefined, at: Date): Promise<boolean> {
  if (appContactId === undefined) return false;
  return (await lastEventBefore(tx, appContactId, BILLING_EVENTS, at))?.name === "charge_failed";
}

export async function handleAppSubscriptionsUpdate(delivery: Delivery): Promise<void> {
  const subscription = (delivery.payload.app_subscription ?? {}) as Subscription;
  const status = String(subscription.status ?? "").toUpperCase();
  const at = delivery.at;
  const plan = planHandle(subscription.name ?? "");
  const subscriptionId = subscription.admin_graphql_api_id ?? null;
  const base = { shopify_webhook_id: delivery.webhookId };

  await processOnce(delivery, async (tx) => {
    const merchant = await findMerchant(tx, delivery.shop);
    const before = await planAt(tx, merchant?.appContactId, at);
    const record = (name: string | null, properties: Record<string, CustomValue | null>, customData?: CustomDataPatch) =>
      applyMerchantChange(tx, {
        shop: delivery.shop,
        occurredAt: at,
        event: name ? { name, properties: { ...base, ...properties } } : undefined,
        customData,
      });

    if (status === "ACTIVE") {
      const trialDays = trialDaysOf(plan);
      const trialUsed = merchant ? await hasEvent(tx, merchant.appContactId, "trial_started") : false;
      const price = monthlyUsd(plan, { price: Number(subscription.price), interval: subscription.interval });
      const previousPrice = monthlyUsd(before.plan);
      if (trialDays > 0 && !trialUsed) {
        const trialEndsAt = new Date(payloadTime(subscription.created_at, at).getTime() + trialDays * 86_400_000).toISOString();
        await record(
          "trial_started",
          { plan, trial_days: trialDays, trial_ends_at: trialEndsAt, subscription_id: subscriptionId },
          { plan, trial_ends_at: trialEndsAt, billing_status: "active" },
        );
      } else if (price !== previousPrice && before.plan !== plan) {
        await record(
          price > previousPrice ? "plan_upgraded" : "plan_downgraded",
          { from_plan: before.plan, to_plan: plan, mrr_delta: Math.round((price - previousPrice) * 100) / 100, subscription_id: subscriptionId },
          { plan, mrr_usd: price, billing_status: "active" },
        );
      } else if (await frozenAt(tx, merchant?.appContactId, at)) {
        await record("charge_recovered", { plan }, { billing_status: "active" });
      } else {
        await record(null, {}, { plan, mrr_usd: price });
      }
    } else if (status === "CANCELLED") {
      // Switching plans cancels the old subscription: only the merchant's current one counts.
      const current = before.subscriptionId === null || before.subscriptionId === subscriptionId || before.plan === plan;
      if (current && before.plan !== FREE_PLAN) {
        await record("plan_cancelled", { plan }, { plan: FREE_PLAN, mrr_usd: 0 });
      } else {
        await record(null, {});
      }
    } else if (status === "FROZEN") {
      await record("charge_failed", { plan }, { billing_status: "frozen" });
    } else if (status === "DECLINED" || status === "EXPIRED") {
      await record(status === "DECLINED" ? "charge_declined" : "charge_expired", { plan });
    } else {
      await record(null, {}); // PENDING, ACCEPTED: nothing has happened to the merchant yet
    }
  });
}
