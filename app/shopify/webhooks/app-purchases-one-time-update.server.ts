// app_purchases_one_time/update: the purchase's status, a fact of the merchant's fold; its first
// ACTIVE reads as one_time_purchase.
import { recordMerchantFacts } from "../merchant-state.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { record, text, webhookFact } from "./webhook-fact";

export async function handleOneTimePurchaseUpdate(delivery: Delivery): Promise<void> {
  const purchase = record(delivery.payload.app_purchase_one_time);
  const fact = webhookFact(delivery, {
    kind: "purchase",
    // Without an id, a purchase cannot be told from another: each delivery is its own.
    subject: text(purchase.admin_graphql_api_id) ?? `webhook:${delivery.webhookId}`,
    status: String(purchase.status ?? "").toUpperCase(),
    data: { name: text(purchase.name), price: text(purchase.price) },
  });
  await processOnce(delivery, async (tx) => {
    await recordMerchantFacts(tx, delivery.shop, [fact]);
  });
}
