import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleShopUpdate } from "../shopify/webhooks/shop-update.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleShopUpdate(await deliveryFrom("shop/update", webhook));
  return new Response(null, { status: 200 });
};
