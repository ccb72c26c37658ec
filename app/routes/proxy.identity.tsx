import type { LoaderFunctionArgs } from "@remix-run/node";
import { authenticate } from "../shopify.server";
import { storefrontIdentity } from "../shopify/storefront-identity.server";

// /apps/convot/identity on the shop's domain, proxied and signed by Shopify: a logged-in
// customer gets a signed identity for the shop's storefront app; anyone else gets null.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticate.public.appProxy(request);
  const url = new URL(request.url);
  // Shopify signs the parameters joined: two copies of one would be signed as "111,222". Anything
  // but exactly one customer id is nobody.
  const customers = url.searchParams.getAll("logged_in_customer_id");
  const identity = await storefrontIdentity(url.searchParams.get("shop") ?? "", customers.length === 1 ? customers[0] : null);
  return Response.json({ identity }, { headers: { "Cache-Control": "private, no-store" } });
};
