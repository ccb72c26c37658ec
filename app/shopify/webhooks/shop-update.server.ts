// shop/update → the shop cache and the merchant's contact fields refreshed; when the Shopify
// plan changed, shopify_plan_changed {from, to} and custom_data.shopify_plan.
import { applyMerchantChange, findMerchant, lastEventBefore } from "../merchants.server";
import { findShopDetails, saveShopDetails, shopDetailsFromPayload } from "../shops.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { normalizeEmail } from "../../convot/validation";

export async function handleShopUpdate(delivery: Delivery): Promise<void> {
  const details = { ...shopDetailsFromPayload(delivery.shop, delivery.payload, delivery.at), sourceUpdatedAt: delivery.at };
  const at = details.sourceUpdatedAt;
  await processOnce(delivery, async (tx) => {
    // The plan as it was at this update: the last recorded change before it, else the cache.
    const merchant = await findMerchant(tx, delivery.shop);
    const lastChange = merchant ? await lastEventBefore(tx, merchant.appContactId, ["shopify_plan_changed", "shop_installed"], at) : null;
    const cached = await findShopDetails(delivery.shop, tx);
    const previous =
      (lastChange?.properties.to as string | undefined) ??
      (lastChange?.properties.shopify_plan as string | undefined) ??
      (cached && cached.sourceUpdatedAt <= at ? cached.planDisplayName : null);
    const plan = details.planDisplayName;
    const changed = Boolean(plan && previous && previous !== plan);
    const newest = await saveShopDetails(details, tx);
    await applyMerchantChange(tx, {
      shop: delivery.shop,
      occurredAt: at,
      event: changed
        ? { name: "shopify_plan_changed", properties: { from: previous, to: plan, shopify_webhook_id: delivery.webhookId } }
        : undefined,
      customData: plan ? { shopify_plan: plan } : undefined,
      // Contact fields carry no timestamp of their own: only the newest shop details write them.
      fields: newest ? { company: details.name, email: details.email ? normalizeEmail(details.email) : undefined, name: details.ownerName ?? undefined } : undefined,
    });
  });
}
