// Reading a merchant as the app developer's team would: through the contact API, with the
// Shopify app's own Convot app's configured API key.
import { api } from "./convot";
import { deliverWebhook, type DeliveryOptions } from "./shopify";
import { fixturePayload } from "../../scripts/lib/shopify-webhook";

export const DEVELOPER_TOKEN = () => process.env.CONVOT_API_KEY!;

export async function merchant(shop: string) {
  const list = await api(`/api/v1/contacts?external_id=${encodeURIComponent(shop)}`, { token: DEVELOPER_TOKEN() });
  return (list.body.contacts[0] ?? null) as null | { id: number; custom_data: Record<string, unknown>; [k: string]: unknown };
}

export type TimelineEvent = { id: number; name: string; occurred_at: string; properties: Record<string, unknown> };

export async function timeline(shop: string): Promise<TimelineEvent[]> {
  const contact = await merchant(shop);
  if (!contact) return [];
  const res = await api(`/api/v1/contacts/${contact.id}/events?per_page=100`, { token: DEVELOPER_TOKEN() });
  return res.body.events;
}

/** app_subscriptions/update for `shop` with the given subscription fields. */
export function subscriptionUpdate(shop: string, subscription: Record<string, unknown>, options: DeliveryOptions = {}) {
  const base = (fixturePayload("app_subscriptions/update", shop) as { app_subscription: Record<string, unknown> }).app_subscription;
  return deliverWebhook("app_subscriptions/update", { shop, ...options, payload: { app_subscription: { ...base, ...subscription } } });
}
