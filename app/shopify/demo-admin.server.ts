// Demo mode's stand-in for the embedded admin (no Shopify to authenticate with): the demo
// shop's merchant, with the same widget identity and the same Inbox as /app. Off outside demo mode.
import { env } from "../env.server";
import { DEMO_SHOP } from "./demo";
import { storefrontInbox } from "./storefront-inbox.server";

export function requireDemo(): string {
  if (!env.DEMO_MODE) throw new Response("Not found", { status: 404 });
  return DEMO_SHOP;
}

export const demoInbox = () => storefrontInbox(requireDemo());
