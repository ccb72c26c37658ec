import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../env.server";
import { DEMO_SHOP } from "../shopify/demo";
import { storefrontIdentity } from "../shopify/storefront-identity.server";

// Demo mode only: /preview is its own storefront, so this stands in for Shopify's app proxy
// (which, on a real shop, signs the request and adds logged_in_customer_id; see proxy.identity).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!env.DEMO_MODE) throw new Response("Not found", { status: 404 });
  const customer = new URL(request.headers.get("referer") ?? request.url).searchParams.get("customer");
  return Response.json({ identity: await storefrontIdentity(DEMO_SHOP, customer) });
};
