// Which shop a webhook delivery acts on and when its fact happened, as its signed body says.
// The HMAC covers the body only: X-Shopify-Shop-Domain and X-Shopify-Triggered-At can be changed
// by whoever replays a captured delivery, so they are believed only where the body says nothing.
import { findShopsByIdOrDomain, shopIdOf } from "./shops.server";
import type { Delivery } from "./webhook-deliveries.server";

/** How far ahead of our clock a payload's time may be (Shopify's clock and ours differ a little). */
export const CLOCK_SKEW_MS = 2 * 60_000;

type Payload = Record<string, unknown>;
/** What a topic's payload says about its shop: a domain, or Shopify's numeric shop id. */
type NamedShop = { domain?: string; shopId?: string };

const record = (value: unknown): Payload => (value && typeof value === "object" ? (value as Payload) : {});
const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim().toLowerCase() : undefined);

/** A REST shop object (shop/update, app/uninstalled): its myshopify domain; `domain` may be a custom one. */
function shopObject(payload: Payload): NamedShop {
  const domain = text(payload.myshopify_domain) ?? (text(payload.domain)?.endsWith(".myshopify.com") ? text(payload.domain) : undefined);
  return { domain, shopId: shopIdOf(payload.id) };
}

const NAMED_SHOP: Record<string, (payload: Payload) => NamedShop> = {
  "app/uninstalled": shopObject,
  "shop/update": shopObject,
  "customers/data_request": (p) => ({ domain: text(p.shop_domain), shopId: shopIdOf(p.shop_id) }),
  "customers/redact": (p) => ({ domain: text(p.shop_domain), shopId: shopIdOf(p.shop_id) }),
  "shop/redact": (p) => ({ domain: text(p.shop_domain), shopId: shopIdOf(p.shop_id) }),
  "app_subscriptions/update": (p) => ({ shopId: shopIdOf(record(p.app_subscription).admin_graphql_api_shop_id) }),
  "app_subscriptions/approaching_capped_amount": (p) => ({ shopId: shopIdOf(p.admin_graphql_api_shop_id) }),
  "app_purchases_one_time/update": (p) => ({ shopId: shopIdOf(record(p.app_purchase_one_time).admin_graphql_api_shop_id) }),
};

/** The object whose `updated_at`/`created_at` is the fact's time, per topic. */
const TIMED: Record<string, (payload: Payload) => Payload> = {
  "app_subscriptions/update": (p) => record(p.app_subscription),
  "app_subscriptions/approaching_capped_amount": (p) => p,
  "app_purchases_one_time/update": (p) => record(p.app_purchase_one_time),
  "shop/update": (p) => p,
};

function parseTime(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** Never meaningfully ahead of the time of receipt: a fact cannot be stamped after it reached us. */
export function notAfter(time: Date, receivedAt: Date): Date {
  return time.getTime() > receivedAt.getTime() + CLOCK_SKEW_MS ? receivedAt : time;
}

/** A delivery naming one shop in its signed body and another in its header: refused, nothing written. */
function forgedShopHeader(topic: string, header: string, named: NamedShop): Response {
  console.warn(`[webhooks] ${topic} refused: header says ${header}, signed payload says ${named.domain ?? `shop id ${named.shopId}`}`);
  return new Response("the signed payload names another shop than X-Shopify-Shop-Domain", { status: 400 });
}

async function shopOf(topic: string, header: string, payload: Payload): Promise<string> {
  const named = NAMED_SHOP[topic]?.(payload) ?? {};
  const claimed = header.trim().toLowerCase();
  if (named.domain) {
    if (named.domain !== claimed) throw forgedShopHeader(topic, header, named);
    return named.domain;
  }
  if (named.shopId) {
    // Only the id is signed: it must not belong to another stored shop, nor the header's shop to another id.
    const known = await findShopsByIdOrDomain(named.shopId, claimed);
    if (known.some((shop) => (shop.domain === claimed ? shop.shopId !== null && shop.shopId !== named.shopId : true))) {
      throw forgedShopHeader(topic, header, named);
    }
  }
  return claimed;
}

/**
 * The payload's own time; X-Shopify-Triggered-At only where the payload has none. An uninstall's
 * payload is the shop, whose updated_at only bounds it from below: its time is the trigger time,
 * raised to that bound. Nothing is later than its receipt (plus a small skew).
 */
function timeOf(topic: string, payload: Payload, triggeredAt: Date, receivedAt: Date): Date {
  const timed = TIMED[topic]?.(payload);
  const own = timed ? (parseTime(timed.updated_at) ?? parseTime(timed.created_at)) : undefined;
  if (own) return notAfter(own, receivedAt);
  if (topic === "app/uninstalled") {
    const lowerBound = parseTime(payload.updated_at);
    if (lowerBound && lowerBound > triggeredAt) return notAfter(lowerBound, receivedAt);
  }
  return triggeredAt;
}

/** The delivery as its signed body tells it, from a shopify-app-remix webhook context. */
export async function deliveryFrom(
  topic: string,
  context: { webhookId: string; eventId?: string; shop: string; triggeredAt?: string; payload: Record<string, unknown> },
): Promise<Delivery> {
  const receivedAt = new Date();
  const payload = record(context.payload);
  const triggeredAt = notAfter(parseTime(context.triggeredAt) ?? receivedAt, receivedAt);
  return {
    webhookId: context.webhookId,
    eventId: context.eventId ?? null,
    topic,
    shop: await shopOf(topic, context.shop, payload),
    at: timeOf(topic, payload, triggeredAt, receivedAt),
    triggeredAt,
    receivedAt,
    payload,
  };
}
