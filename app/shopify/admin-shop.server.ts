// The shop's details from the Admin GraphQL API (on install only; then cached).
import { shopIdOf, type ShopDetails } from "./shops.server";

export const SHOP_DETAILS_QUERY = `#graphql
  query ConvotShopDetails {
    shop {
      id
      name
      email
      myshopifyDomain
      primaryDomain { host }
      shopOwnerName
      currencyCode
      ianaTimezone
      updatedAt
      plan { displayName partnerDevelopment shopifyPlus }
    }
  }`;

type GraphqlClient = (query: string) => Promise<Response>;

export async function fetchShopDetails(graphql: GraphqlClient, domain: string): Promise<ShopDetails> {
  const response = await graphql(SHOP_DETAILS_QUERY);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the Admin API's JSON, read field by field with optional chaining
  const body = (await response.json()) as { data?: { shop?: Record<string, any> }; errors?: unknown };
  const shop = body.data?.shop;
  if (!shop) throw new Error(`Admin API returned no shop for ${domain}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`);
  return {
    domain,
    shopId: shopIdOf(shop.id) ?? null,
    name: String(shop.name ?? domain),
    email: shop.email ?? null,
    ownerName: shop.shopOwnerName ?? null,
    planName: shop.plan?.displayName ?? null,
    planDisplayName: shop.plan?.displayName ?? null,
    currency: shop.currencyCode ?? null,
    timezone: shop.ianaTimezone ?? null,
    primaryDomain: typeof shop.primaryDomain?.host === "string" ? shop.primaryDomain.host : null,
    sourceUpdatedAt: shop.updatedAt ? new Date(shop.updatedAt) : new Date(),
  };
}
