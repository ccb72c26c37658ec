// Builds a webhook delivery exactly as Shopify sends one: the topic's JSON payload, the
// base64 HMAC-SHA256 of the raw body keyed by the app's client secret, and Shopify's headers.
// Used by `npm run webhook`, the tests and the bench.
import { createHash, createHmac, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

export const FIXTURES_DIR = path.resolve(import.meta.dirname, "../../test/fixtures/webhooks");
export const FIXTURE_SHOP = "convot-demo.myshopify.com";
/** The fixture shop's numeric id (Shop.id), as the fixtures carry it (`id`, `shop_id`, `admin_graphql_api_shop_id`). */
const FIXTURE_SHOP_ID = "73564184873";

/** A shop's numeric id as the fixtures give it: the fixture shop's own, else one derived from the domain. */
export function fixtureShopId(shop: string): string {
  if (shop === FIXTURE_SHOP) return FIXTURE_SHOP_ID;
  return String(parseInt(createHash("sha256").update(shop).digest("hex").slice(0, 11), 16));
}

export type WebhookDelivery = { path: string; headers: Record<string, string>; body: string };

export type WebhookOptions = {
  topic: string;
  shop: string;
  secret: string;
  apiVersion: string;
  payload?: unknown;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: Date;
};

export function listFixtureTopics(): string[] {
  const topics: string[] = [];
  for (const group of fs.readdirSync(FIXTURES_DIR)) {
    for (const file of fs.readdirSync(path.join(FIXTURES_DIR, group))) {
      if (file.endsWith(".json")) topics.push(`${group}/${file.slice(0, -5)}`);
    }
  }
  return topics.sort();
}

/** The topic's fixture, re-addressed to `shop` (every mention of the fixture shop, by domain or id, is replaced). */
export function fixturePayload(topic: string, shop = FIXTURE_SHOP): unknown {
  const file = path.join(FIXTURES_DIR, `${topic}.json`);
  if (!/^[a-z_]+\/[a-z_]+$/.test(topic) || !fs.existsSync(file)) {
    throw new Error(`no fixture for topic "${topic}" (known: ${listFixtureTopics().join(", ")})`);
  }
  const text = fs.readFileSync(file, "utf8").replaceAll(FIXTURE_SHOP, shop).replaceAll(FIXTURE_SHOP_ID, fixtureShopId(shop));
  return JSON.parse(text);
}

/** Objects a topic's event creates: their created_at is the event's time too (a shop's is not). */
const CREATED_BY_THE_EVENT = new Set(["app_subscription", "app_purchase_one_time"]);

/**
 * The topic's fixture as Shopify would send it now: every `updated_at` (and the `created_at` of a
 * subscription or purchase the event is about) is `now`. A fixture's fixed date would make the
 * fact older than the state the demo already holds, and it would land in the past, changing nothing.
 */
export function currentPayload(topic: string, shop = FIXTURE_SHOP, now = new Date()): unknown {
  const stamp = (value: unknown, created: boolean): unknown => {
    if (Array.isArray(value)) return value.map((item) => stamp(item, false));
    if (!value || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        if (key === "updated_at" || (key === "created_at" && created)) return [key, now.toISOString()];
        return [key, stamp(inner, CREATED_BY_THE_EVENT.has(key))];
      }),
    );
  };
  return stamp(fixturePayload(topic, shop), false);
}

export function shopifyHmac(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function webhookDelivery(options: WebhookOptions): WebhookDelivery {
  const body = JSON.stringify(options.payload ?? fixturePayload(options.topic, options.shop));
  return {
    path: `/webhooks/${options.topic}`,
    body,
    headers: {
      "Content-Type": "application/json",
      "X-Shopify-Topic": options.topic,
      "X-Shopify-Hmac-Sha256": shopifyHmac(body, options.secret),
      "X-Shopify-Shop-Domain": options.shop,
      "X-Shopify-API-Version": options.apiVersion,
      "X-Shopify-Webhook-Id": options.webhookId ?? randomUUID(),
      "X-Shopify-Event-Id": options.eventId ?? randomUUID(),
      "X-Shopify-Triggered-At": (options.triggeredAt ?? new Date()).toISOString(),
      "User-Agent": "Shopify-Captain-Hook",
    },
  };
}
