import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deliveryFrom } from "../shopify/webhook-deliveries.server";
import { handleShopRedact } from "../shopify/webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  await handleShopRedact(deliveryFrom("shop/redact", webhook));
  return new Response(null, { status: 200 });
};
