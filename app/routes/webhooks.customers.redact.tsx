import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleCustomersRedact } from "../shopify/webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleCustomersRedact(await deliveryFrom("customers/redact", webhook));
  return new Response(null, { status: 200 });
};
