import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";

// shop/redact (mandatory compliance topic): Shopify's signature is checked (401 when bad).
// This app stores no shopper data yet; the contact store's erasure hooks in when it does.
export const action = async ({ request }: ActionFunctionArgs) => {
  await authenticate.webhook(request);
  return new Response(null, { status: 200 });
};
