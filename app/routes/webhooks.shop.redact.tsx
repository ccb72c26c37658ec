import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleShopRedact } from "../shopify/webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleShopRedact(await deliveryFrom("shop/redact", webhook));
  return new Response(null, { status: 200 });
};
