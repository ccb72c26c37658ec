// app_purchases_one_time/update, ACTIVE → one_time_purchase.
import { applyMerchantChange } from "../merchants.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";

type Purchase = { name?: string; status?: string; price?: string };

export async function handleOneTimePurchaseUpdate(delivery: Delivery): Promise<void> {
  const purchase = (delivery.payload.app_purchase_one_time ?? {}) as Purchase;
  const active = String(purchase.status ?? "").toUpperCase() === "ACTIVE";
  const price = purchase.price !== undefined && Number.isFinite(Number(purchase.price)) ? Number(purchase.price) : undefined;
  await processOnce(delivery, async (tx) => {
    await applyMerchantChange(tx, {
      shop: delivery.shop,
      occurredAt: delivery.at,
      event: active
        ? {
            name: "one_time_purchase",
            properties: { name: purchase.name ?? "", ...(price !== undefined ? { price } : {}), shopify_webhook_id: delivery.webhookId },
          }
        : undefined,
    });
  });
}
