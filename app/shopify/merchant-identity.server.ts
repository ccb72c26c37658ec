// The embedded admin identifies the merchant to us, the app developer, on every page: computed
// here on the server (signed hashes, suggested fields) from the cached shop and the merchant's
// state — no Admin API call per page. The identity secret itself never leaves the server.
import { sql } from "../db.server";
import { hmacHex } from "../apps/secrets";
import { normalizeEmail, type CustomValue } from "../contacts/validation";
import { env } from "../env.server";
import { APP_VERSION } from "../version";
import { FREE_PLAN } from "./billing";
import { findMerchant, merchantCustomData } from "./merchant-contact.server";
import { findShopDetails } from "./shops.server";

export async function merchantWidgetIdentity(shop: string) {
  const [details, merchant] = await Promise.all([findShopDetails(shop), findMerchant(sql, shop)]);
  const state = merchant ? await merchantCustomData(sql, merchant.appContactId) : {};
  const customData: Record<string, CustomValue> = {
    plan: (state.plan as string | undefined) ?? FREE_PLAN,
    shopify_domain: shop,
    app_version: APP_VERSION,
    active: true,
  };
  if (state.install_date) customData.install_date = state.install_date;
  const shopifyPlan = details?.planDisplayName ?? (state.shopify_plan as string | undefined);
  if (shopifyPlan) customData.shopify_plan = shopifyPlan;
  return {
    external_id: shop,
    ...(details?.email ? { email: normalizeEmail(details.email) } : {}),
    ...(details?.ownerName ? { name: details.ownerName } : {}),
    ...(details?.name ? { company: details.name } : {}),
    user_hash: hmacHex(env.CONVOT_IDENTITY_SECRET, shop),
    shop,
    shop_hash: hmacHex(env.CONVOT_IDENTITY_SECRET, shop),
    custom_data: customData,
  };
}

/** JSON safe inside an inline <script>: no `</script>`, no HTML comment or line-separator tricks. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
