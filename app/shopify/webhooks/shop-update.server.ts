// shop/update → the shop cache and the merchant's contact fields refreshed; the Shopify plan, a
// fact of the merchant's fold, which reads a change as shopify_plan_changed {from, to}.
import { normalizeEmail } from "../../contacts/validation";
import { recordMerchantFacts } from "../merchant-state.server";
import { saveShopDetails, shopDetailsFromPayload } from "../shops.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { webhookFact } from "./webhook-fact";

export async function handleShopUpdate(delivery: Delivery): Promise<void> {
  const details = { ...shopDetailsFromPayload(delivery.shop, delivery.payload, delivery.at), sourceUpdatedAt: delivery.at };
  const plan = details.planDisplayName;
  await processOnce(delivery, async (tx) => {
    const newest = await saveShopDetails(details, tx);
    await recordMerchantFacts(tx, delivery.shop, plan ? [webhookFact(delivery, { kind: "shop", subject: "", status: plan, data: {} })] : [], {
      at: delivery.at,
      // Contact fields carry no timestamp of their own: only the newest shop details write them.
      fields: newest
        ? { company: details.name, email: details.email ? normalizeEmail(details.email) : undefined, name: details.ownerName ?? undefined }
        : undefined,
    });
  });
}
