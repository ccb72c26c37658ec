import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleAppSubscriptionsUpdate } from "../shopify/webhooks/app-subscriptions-update.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleAppSubscriptionsUpdate(await deliveryFrom("app_subscriptions/update", webhook));
  return new Response(null, { status: 200 });
};
