// app/uninstalled → an uninstall fact of the merchant's fold (shop_uninstalled, active=false),
// sessions gone, and a recent conversation with the merchant reopened with a churn note.
import type { ConversationRow } from "../../conversations/conversations.server";
import { announceConversation } from "../../conversations/wake-ups.server";
import { noteChurn } from "../churn.server";
import { merchantApp } from "../merchant-contact.server";
import { recordMerchantFacts } from "../merchant-state.server";
import { deleteSessionsForShop } from "../sessions.server";
import { processOnce, type Delivery } from "../webhook-deliveries.server";
import { webhookFact } from "./webhook-fact";

export async function handleAppUninstalled(delivery: Delivery): Promise<void> {
  let reopened: ConversationRow | null = null;
  const fact = webhookFact(delivery, { kind: "installation", subject: "", status: "uninstalled", data: {} });
  await processOnce(delivery, async (tx) => {
    const { appContactId, state, created } = await recordMerchantFacts(tx, delivery.shop, [fact]);
    // A reinstall recorded after this (late) uninstall keeps its session and its inbox as is.
    if (state.installed === true) return;
    await deleteSessionsForShop(delivery.shop, tx);
    if (!created.some(({ event }) => event.name === "shop_uninstalled")) return;
    const app = await merchantApp(tx);
    reopened = (await noteChurn(tx, { appId: app.id, appContactId, appName: app.name, at: delivery.at }))?.conversation ?? null;
  });
  // Committed: the inboxes (and the merchant's widget) see the reopened conversation now.
  if (reopened) announceConversation(reopened);
}
