import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleCustomersDataRequest } from "../shopify/webhooks/compliance.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleCustomersDataRequest(await deliveryFrom("customers/data_request", webhook));
  return new Response(null, { status: 200 });
};
