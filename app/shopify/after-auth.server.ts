// What runs each time a merchant completes OAuth (install, reinstall or re-authorisation):
// cache the shop's details, make sure its storefront app exists, record the install.
import type { Session } from "@shopify/shopify-api";
import { fetchShopDetails } from "./admin-shop.server";
import { recordInstall } from "./install.server";
import { saveShopDetails } from "./shops.server";
import { ensureStorefrontApp } from "./storefront-apps.server";
import { publishEmbedConfig } from "./theme-embed.server";

type AdminGraphql = { graphql: (query: string, options?: { variables?: Record<string, unknown> }) => Promise<Response> };

export async function afterAuth({ session, admin }: { session: Session; admin: AdminGraphql }): Promise<void> {
  const details = await fetchShopDetails((query) => admin.graphql(query), session.shop);
  await saveShopDetails(details);
  const storefront = await ensureStorefrontApp(session.shop);
  await publishEmbedConfig((query, options) => admin.graphql(query, options), storefront.publicKey);
  await recordInstall(session.shop, details);
}
