// app_subscriptions/approaching_capped_amount → usage_cap_approaching, through the merchant's fold.
import { recordMerchantFacts } from "../merchant-state.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { text, webhookFact } from "./webhook-fact";

export async function handleApproachingCappedAmount(delivery: Delivery): Promise<void> {
  const payload = delivery.payload;
  const fact = webhookFact(delivery, {
    kind: "usage",
    subject: text(payload.admin_graphql_api_id) ?? "",
    status: text(payload.balance_used) ?? "",
    data: {
      balance_used: text(payload.balance_used),
      capped_amount: text(payload.capped_amount),
      currency: text(payload.currency_code ?? payload.currency) ?? "USD",
      name: text(payload.name) ?? "",
    },
  });
  await processOnce(delivery, async (tx) => {
    await recordMerchantFacts(tx, delivery.shop, [fact]);
  });
}
