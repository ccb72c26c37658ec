// `npm run webhook -- <topic> [options]`: like `shopify app webhook trigger`, but offline.
// Signs a realistic payload for the topic with SHOPIFY_API_SECRET and posts it to a running server.
// The fixture is stamped with the current time, as Shopify's payload for something happening now.
import fs from "node:fs";
import { parseArgs } from "node:util";
import { FIXTURE_SHOP, currentPayload, listFixtureTopics, webhookDelivery } from "./lib/shopify-webhook";
import { readTomlApiVersion } from "./lib/app-toml";

const usage = `usage: npm run webhook -- <topic> [--shop DOMAIN] [--url http://localhost:3000]
                          [--payload FILE.json] [--webhook-id ID] [--secret SECRET]
       npm run webhook -- --list`;

try {
  process.loadEnvFile?.(".env");
} catch {
  /* no .env: the environment alone */
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    shop: { type: "string", default: FIXTURE_SHOP },
    url: { type: "string", default: `http://localhost:${process.env.PORT ?? 3000}` },
    payload: { type: "string" },
    "webhook-id": { type: "string" },
    secret: { type: "string" },
    list: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help) {
  console.log(usage);
  process.exit(0);
}
if (values.list) {
  console.log(listFixtureTopics().join("\n"));
  process.exit(0);
}
const topic = positionals[0];
const secret = values.secret ?? process.env.SHOPIFY_API_SECRET;
if (!topic) {
  console.error(usage);
  process.exit(2);
}
if (!secret) {
  console.error("✗ SHOPIFY_API_SECRET is not set (in the environment or .env): it signs the webhook.");
  process.exit(2);
}

try {
  const delivery = webhookDelivery({
    topic,
    shop: values.shop!,
    secret,
    apiVersion: readTomlApiVersion(),
    payload: values.payload ? JSON.parse(fs.readFileSync(values.payload, "utf8")) : currentPayload(topic, values.shop),
    webhookId: values["webhook-id"],
  });
  const response = await fetch(new URL(delivery.path, values.url), {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  const text = await response.text();
  console.log(
    `${topic} → ${values.url}${delivery.path} · webhook id ${delivery.headers["X-Shopify-Webhook-Id"]} · ${response.status} ${response.statusText}${text ? `\n${text}` : ""}`,
  );
  process.exit(response.ok ? 0 : 1);
} catch (error) {
  const cause = (error as { cause?: { code?: string } }).cause;
  if (cause?.code === "ECONNREFUSED") console.error(`✗ nothing is listening at ${values.url}: start the app first (npm run demo).`);
  else console.error(`✗ ${(error as Error).message}`);
  process.exit(1);
}
