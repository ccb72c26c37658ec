// What the app proxy vouches for: the shop and its logged-in customer's id. That becomes a
// verified identity in the shop's storefront app (external_id shopify_customer_<id>).
import { hmacHex } from "../apps/secrets";
import { customerExternalId, ensureStorefrontApp } from "./storefront-apps.server";

export async function storefrontIdentity(shop: string, customerId: string | null) {
  if (!customerId || !/^\d{1,20}$/.test(customerId) || !shop) return null;
  const app = await ensureStorefrontApp(shop);
  const externalId = customerExternalId(customerId);
  return { app_id: app.publicKey, external_id: externalId, user_hash: hmacHex(app.identitySecret, externalId) };
}
