import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deliveryFrom } from "../shopify/webhook-deliveries.server";
import { handleShopUpdate } from "../shopify/webhooks/shop-update.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  await handleShopUpdate(deliveryFrom("shop/update", webhook));
  return new Response(null, { status: 200 });
};
