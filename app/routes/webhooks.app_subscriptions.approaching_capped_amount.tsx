import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleApproachingCappedAmount } from "../shopify/webhooks/app-subscriptions-approaching-capped-amount.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleApproachingCappedAmount(await deliveryFrom("app_subscriptions/approaching_capped_amount", webhook));
  return new Response(null, { status: 200 });
};
