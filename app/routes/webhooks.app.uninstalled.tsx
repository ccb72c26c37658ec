import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { deleteSessionsForShop } from "../shopify/sessions.server";

// app/uninstalled → the shop's sessions go, so a reinstall authenticates again.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await authenticate.webhook(request);
  await deleteSessionsForShop(shop);
  return new Response(null, { status: 200 });
};
