// The merchant's Inbox: their storefront app's conversations, answered as the shop.
import type { TeamAuthor } from "../conversations/team-actions.server";
import { findShopDetails } from "./shops.server";
import { ensureStorefrontApp } from "./storefront-apps.server";

export async function storefrontInbox(shop: string): Promise<{ appId: number; author: TeamAuthor }> {
  const [app, details] = await Promise.all([ensureStorefrontApp(shop), findShopDetails(shop)]);
  return { appId: app.id, author: { operatorId: null, name: details?.name ?? shop } };
}
