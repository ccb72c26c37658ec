// app/uninstalled → shop_uninstalled on the merchant's timeline, active=false, sessions gone,
// and a recent conversation with the merchant reopened with a churn note.
import { announceConversation, noteChurn, type ConversationRow } from "../../conversations/conversations.server";
import { applyMerchantChange, merchantApp, merchantCustomData } from "../merchants.server";
import { deleteSessionsForShop } from "../sessions.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";

export async function handleAppUninstalled(delivery: Delivery): Promise<void> {
  let reopened: ConversationRow | null = null;
  await processOnce(delivery, async (tx) => {
    const at = delivery.at;
    const merchant = await applyMerchantChange(tx, {
      shop: delivery.shop,
      occurredAt: at,
      event: { name: "shop_uninstalled", properties: { shopify_webhook_id: delivery.webhookId } },
      customData: { active: false, uninstalled_at: at.toISOString() },
    });
    // A reinstall recorded after this (late) uninstall keeps its session and its inbox as is.
    const { active } = await merchantCustomData(tx, merchant.appContactId);
    if (active === true) return;
    await deleteSessionsForShop(delivery.shop, tx);
    const app = await merchantApp(tx);
    reopened = (await noteChurn(tx, { appId: app.id, appContactId: merchant.appContactId, appName: app.name, at }))?.conversation ?? null;
  });
  // Committed: the inboxes (and the merchant's widget) see the reopened conversation now.
  if (reopened) announceConversation(reopened);
}
