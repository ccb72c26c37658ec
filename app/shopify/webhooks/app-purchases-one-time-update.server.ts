// app_purchases_one_time/update, ACTIVE → one_time_purchase.
import { applyMerchantChange } from "../merchants.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { occurredAt } from "./timing";

type Purchase = { name?: string; status?: string; price?: string; created_at?: string; updated_at?: string };

export async function handleOneTimePurchaseUpdate(delivery: Delivery): Promise<void> {
  const purchase = (delivery.payload.app_purchase_one_time ?? {}) as Purchase;
  const active = String(purchase.status ?? "").toUpperCase() === "ACTIVE";
  const price = purchase.price !== undefined && Number.isFinite(Number(purchase.price)) ? Number(purchase.price) : undefined;
  await processOnce(delivery, async (tx) => {
    await applyMerchantChange(tx, {
      shop: delivery.shop,
      occurredAt: occurredAt(purchase as Record<string, unknown>, delivery.triggeredAt),
      event: active
        ? {
            name: "one_time_purchase",
            properties: { name: purchase.name ?? "", ...(price !== undefined ? { price } : {}), shopify_webhook_id: delivery.webhookId },
          }
        : undefined,
    });
  });
}
