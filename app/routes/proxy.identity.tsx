import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { storefrontIdentity } from "../shopify/storefront-identity.server";

// /apps/convot/identity on the shop's domain, proxied and signed by Shopify: a logged-in
// customer gets a signed identity for the shop's storefront app; anyone else gets null.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  const identity = await storefrontIdentity(url.searchParams.get("shop") ?? "", url.searchParams.get("logged_in_customer_id"));
  return Response.json({ identity }, { headers: { "Cache-Control": "private, no-store" } });
};
