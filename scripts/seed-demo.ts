// Seeds what demo mode shows: the Shopify app's own Convot app (from .env), the demo shop as an
// installed merchant (an offline session whose token is never sent anywhere), and 90 days of
// history of 30 more merchants (scripts/lib/demo-history.ts). The history is told as Shopify would
// tell it: installs through recordInstall (what afterAuth calls: Shopify has no install webhook),
// everything else as deliveries signed with SHOPIFY_API_SECRET, handed to the webhook routes'
// own actions, so the demo holds what the app would have recorded. Idempotent: a re-run finds the
// history's anchor in what it recorded, and its deliveries carry the same webhook and event ids.
import "./lib/load-env";
import { boot } from "../app/boot.server";
import { prisma, sql } from "../app/db.server";
import { env } from "../app/env.server";
import { DEMO_SHOP } from "../app/shopify/demo";
import { recordInstall } from "../app/shopify/install.server";
import { findMerchant, merchantApp } from "../app/shopify/merchant-contact.server";
import { listFacts } from "../app/shopify/merchant-facts.server";
import { saveShopDetails, type ShopDetails } from "../app/shopify/shops.server";
import { readTomlApiVersion } from "./lib/app-toml";
import { demoHistory, type DemoShop, type Told } from "./lib/demo-history";
import { fixtureShopId, webhookDelivery } from "./lib/shopify-webhook";

if (!env.DEMO_MODE) {
  console.error("✗ DEMO_MODE is not on: refusing to seed demo data into this database.");
  process.exit(2);
}
const started = performance.now();

// boot() alone: the upkeep is the server's (startUpkeep), and would still be writing when the seed closes the database.
await boot();
const sessionId = `offline_${DEMO_SHOP}`;
// Through sql.exclusive, as every Prisma write in the app: on SQLite a batch of the layer's
// writes may hold the write lock, committed by this thread only after the current call returns
// (Prisma would wait for the lock, time out and fail the seed).
await sql.exclusive(() =>
  prisma.session.upsert({
    where: { id: sessionId },
    update: {},
    create: {
      id: sessionId,
      shop: DEMO_SHOP,
      state: "demo",
      isOnline: false,
      scope: env.SCOPES,
      accessToken: "demo-offline-token-not-valid-at-shopify",
    },
  }),
);

type Action = (args: { request: Request; params: Record<string, string>; context: Record<string, unknown> }) => Promise<Response>;
const routes = new Map<string, Action>();
async function webhookRoute(topic: string): Promise<Action> {
  let action = routes.get(topic);
  if (!action) {
    // app_subscriptions/update ↔ app/routes/webhooks.app_subscriptions.update.tsx, as Remix routes it.
    action = ((await import(`../app/routes/webhooks.${topic.replace("/", ".")}.tsx`)) as { action: Action }).action;
    routes.set(topic, action);
  }
  return action;
}

/**
 * When the history ends: the time its first merchant's install was recorded, moved on by the
 * story's own interval, on a re-run; now, the first time.
 */
async function historyAnchor(now: Date): Promise<Date> {
  const probe = demoHistory(now);
  const first = probe.find((t): t is Extract<Told, { kind: "install" }> => t.kind === "install" && t.shop.domain !== DEMO_SHOP)!;
  const merchant = await findMerchant(sql, first.shop.domain);
  if (!merchant) return now;
  const app = await merchantApp(sql);
  const installed = (await listFacts(sql, app.id, merchant.appContactId)).find((fact) => fact.kind === "installation" && fact.status === "installed");
  return installed ? new Date(installed.occurredAt.getTime() + (now.getTime() - first.at.getTime())) : now;
}

const shopDetails = (shop: DemoShop, at: Date): ShopDetails => ({
  domain: shop.domain,
  shopId: fixtureShopId(shop.domain),
  name: shop.name,
  email: shop.email,
  ownerName: shop.owner,
  planName: shop.shopifyPlan.toLowerCase(),
  planDisplayName: shop.shopifyPlan,
  currency: "USD",
  timezone: "America/New_York",
  primaryDomain: null,
  sourceUpdatedAt: at,
});

const apiVersion = readTomlApiVersion();
const appUrl = new URL(env.SHOPIFY_APP_URL);
const history = demoHistory(await historyAnchor(new Date(Math.floor(Date.now() / 60_000) * 60_000)));
const count = { installs: 0, deliveries: 0, duplicates: 0 };
for (const told of history) {
  if (told.kind === "install") {
    // What afterAuth does on an install, but the Admin API calls: cache the shop's details, record the install.
    await saveShopDetails(shopDetails(told.shop, told.at));
    if ((await recordInstall(told.shop.domain, shopDetails(told.shop, told.at), told.at)) !== "already_installed") count.installs++;
    continue;
  }
  const delivery = webhookDelivery({
    topic: told.topic,
    shop: told.shop.domain,
    secret: env.SHOPIFY_API_SECRET,
    apiVersion,
    payload: told.payload,
    webhookId: told.webhookId,
    eventId: told.eventId,
    triggeredAt: told.at,
  });
  const request = new Request(new URL(delivery.path, appUrl), { method: "POST", headers: delivery.headers, body: delivery.body });
  const before = await sql.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "WebhookDelivery" WHERE "webhookId" = ?`, [told.webhookId]);
  const response = await (await webhookRoute(told.topic))({ request, params: {}, context: {} });
  if (response.status !== 200) throw new Error(`${told.topic} for ${told.shop.domain} answered ${response.status}: ${await response.text()}`);
  if (Number(before?.n ?? 0) > 0) count.duplicates++;
  else count.deliveries++;
}
/** A few merchants' questions and the team's answers, through the contact API with the configured key. */
const CONVERSATIONS = [
  {
    shop: "trialConverts",
    ask: "Hi! Does the Pro plan include the merchant timeline for every shop, or only new installs?",
    answer: "Every shop: the timeline starts from the install, and the history we received before is kept too.",
  },
  {
    shop: "freezesRecovers",
    ask: "Our card was declined last week, is the chat widget still working on our storefront?",
    answer: "It is: the charge went through again on retry, so nothing was interrupted. Thanks for checking!",
  },
  {
    shop: "plusStays",
    ask: "Can we get AI-drafted replies in French as well?",
    answer: "Yes, drafts follow the language of the conversation. Let us know if one reads oddly.",
  },
];

async function api(method: "GET" | "POST", path: string, module: string, params: Record<string, string>, body?: unknown) {
  const route = (await import(`../app/routes/${module}.tsx`)) as { loader: Action; action: Action };
  const request = new Request(new URL(path, appUrl), {
    method,
    headers: { Authorization: `Bearer ${env.CONVOT_API_KEY}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const response = await (method === "GET" ? route.loader : route.action)({ request, params, context: {} });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

let conversations = 0;
if (env.CONVOT_API_KEY) {
  for (const { shop: arc, ask, answer } of CONVERSATIONS) {
    const shop = history.find((t) => t.kind === "install" && t.shop.arc === arc && t.shop.domain !== DEMO_SHOP)!.shop.domain;
    const { contacts } = await api("GET", `/api/v1/contacts?external_id=${encodeURIComponent(shop)}`, "api.v1.contacts", {});
    const contactId = contacts[0].id;
    const existing = await api("GET", `/api/v1/conversations?contact_id=${contactId}`, "api.v1.conversations", {});
    if (existing.conversations.length > 0) continue;
    const started = await api(
      "POST",
      "/api/v1/conversations",
      "api.v1.conversations",
      {},
      { contact_id: contactId, message: { content: ask, type: "incoming" } },
    );
    await api(
      "POST",
      `/api/v1/conversations/${started.id}/messages`,
      "api.v1.conversations.$id.messages",
      { id: started.id },
      { content: answer, type: "outgoing" },
    );
    conversations++;
  }
}

const merchants = new Set(history.map((t) => t.shop.domain)).size;
console.log(
  `› demo shop ${DEMO_SHOP} · Convot app ${env.CONVOT_APP_KEY ?? "(CONVOT_APP_KEY not set)"} · ${merchants} merchants: ` +
    `${count.installs} installs and ${count.deliveries} deliveries recorded, ${count.duplicates} already there, ${conversations} conversations started · ${Math.round(performance.now() - started)} ms`,
);
await prisma.$disconnect();
await sql.close();
