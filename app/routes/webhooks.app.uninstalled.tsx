import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deliveryFrom } from "../shopify/webhook-deliveries.server";
import { handleAppUninstalled } from "../shopify/webhooks/app-uninstalled.server";

export const action = async ({ request }: ActionFunctionArgs) => {
  const webhook = await authenticate.webhook(request);
  await handleAppUninstalled(deliveryFrom("app/uninstalled", webhook));
  return new Response(null, { status: 200 });
};
