// app_subscriptions/approaching_capped_amount → usage_cap_approaching.
import { applyMerchantChange } from "../merchants.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";

const amount = (value: unknown) => (value === undefined || value === null || value === "" ? null : Number(value));

export async function handleApproachingCappedAmount(delivery: Delivery): Promise<void> {
  const payload = delivery.payload;
  await processOnce(delivery, async (tx) => {
    await applyMerchantChange(tx, {
      shop: delivery.shop,
      occurredAt: delivery.at,
      event: {
        name: "usage_cap_approaching",
        properties: {
          balance_used: amount(payload.balance_used),
          capped_amount: amount(payload.capped_amount),
          currency: String(payload.currency_code ?? payload.currency ?? "USD"),
          plan: String(payload.name ?? ""),
          shopify_webhook_id: delivery.webhookId,
        },
      },
    });
  });
}
