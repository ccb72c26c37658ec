import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deliveryFrom } from "../shopify/webhook-deliveries.server";
import { handleAppSubscriptionsUpdate } from "../shopify/webhooks/app-subscriptions-update.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  await handleAppSubscriptionsUpdate(deliveryFrom("app_subscriptions/update", webhook));
  return new Response(null, { status: 200 });
};
