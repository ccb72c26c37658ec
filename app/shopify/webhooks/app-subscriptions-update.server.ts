// app_subscriptions/update: the subscription's status at its updated_at, a fact of the merchant's
// billing fold, which reads it as trial_started, plan_upgraded/downgraded, charge_recovered,
// plan_cancelled, charge_failed, charge_declined/expired or nothing (app/shopify/merchant-fold.ts).
import { recordMerchantFacts } from "../merchant-state.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { record, text, webhookFact } from "./webhook-fact";

export async function handleAppSubscriptionsUpdate(delivery: Delivery): Promise<void> {
  const subscription = record(delivery.payload.app_subscription);
  const fact = webhookFact(delivery, {
    kind: "subscription",
    subject: text(subscription.admin_graphql_api_id) ?? "",
    status: String(subscription.status ?? "").toUpperCase(),
    data: {
      name: text(subscription.name),
      price: text(subscription.price),
      interval: text(subscription.interval),
      created_at: text(subscription.created_at),
    },
  });
  await processOnce(delivery, async (tx) => {
    await recordMerchantFacts(tx, delivery.shop, [fact]);
  });
}
