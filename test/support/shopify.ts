// Shopify-side helpers for tests: deliveries signed with the test app's secret.
import { API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { webhookDelivery, type WebhookOptions } from "../../scripts/lib/shopify-webhook";
import { readTomlApiVersion } from "../../scripts/lib/app-toml";
import { request } from "./app";

/** `headers`: more headers on the request, as a proxy or Shopify's HTTP client adds them. */
export type DeliveryOptions = Partial<Omit<WebhookOptions, "topic">> & { tamper?: boolean; headers?: Record<string, string> };

export async function deliverWebhook(topic: string, options: DeliveryOptions = {}): Promise<Response> {
  const delivery = webhookDelivery({
    topic,
    shop: options.shop ?? "convot-demo.myshopify.com",
    secret: options.secret ?? API_SECRET_KEY,
    apiVersion: readTomlApiVersion(),
    ...options,
  });
  const body = options.tamper ? delivery.body.replace("}", ', "tampered": true}') : delivery.body;
  return request(delivery.path, { method: "POST", headers: { ...options.headers, ...delivery.headers }, body });
}
