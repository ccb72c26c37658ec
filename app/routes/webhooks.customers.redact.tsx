import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deliveryFrom } from "../shopify/webhook-deliveries.server";
import { handleCustomersRedact } from "../shopify/webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  await handleCustomersRedact(deliveryFrom("customers/redact", webhook));
  return new Response(null, { status: 200 });
};
