import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { deliveryFrom } from "../shopify/delivery-origin.server";
import { handleAppUninstalled } from "../shopify/webhooks/app-uninstalled.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticateWebhook(request);
  await handleAppUninstalled(await deliveryFrom("app/uninstalled", webhook));
  return new Response(null, { status: 200 });
};
