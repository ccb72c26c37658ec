import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleOneTimePurchaseUpdate } from "../shopify/webhooks/app-purchases-one-time-update.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleOneTimePurchaseUpdate(await deliveryFrom("app_purchases_one_time/update", webhook));
  return new Response(null, { status: 200 });
};
