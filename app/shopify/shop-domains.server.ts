// The shops' primary domains for shops cached before the app recorded them: the hourly upkeep
// asks the Admin API for each (the storefront widget runs only on a shop's known domains).
import { unauthenticated } from "../shopify.server";
import { fetchShopDetails } from "./admin-shop.server";
import { listInstalledShopsWithoutPrimaryDomain, savePrimaryDomain } from "./shops.server";

/** How many shops one upkeep asks about (one Admin API call each); the rest wait an hour. */
const SHOPS_PER_RUN = 200;

/** Returns how many shops got their primary domain. A shop Shopify will not answer for is retried next time. */
export async function fillMissingPrimaryDomains(limit = SHOPS_PER_RUN): Promise<number> {
  let filled = 0;
  for (const shop of await listInstalledShopsWithoutPrimaryDomain(limit)) {
    try {
      const { admin } = await unauthenticated.admin(shop);
      const { primaryDomain } = await fetchShopDetails((query) => admin.graphql(query), shop);
      if (primaryDomain && (await savePrimaryDomain(shop, primaryDomain))) filled++;
    } catch (error) {
      console.error(`[shops] could not read the primary domain of ${shop}:`, error);
    }
  }
  return filled;
}
