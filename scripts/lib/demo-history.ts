// The demo's merchants and what happened to them over 90 days, as Shopify would have told it:
// installs (seen by afterAuth, which has no webhook), then signed app_subscriptions/update,
// shop/update and app/uninstalled deliveries stamped with their own times. Pure and
// deterministic: the same seed and anchor give the same merchants, times and delivery ids.
import { createHash } from "node:crypto";
import { FIXTURE_SHOP, fixturePayload, fixtureShopId } from "./shopify-webhook";

export const DEMO_SEED = 20261202;
export const HISTORY_DAYS = 90;
const DAY = 86_400_000;
const HOUR = 3_600_000;

export type DemoShop = { domain: string; name: string; owner: string; email: string; shopifyPlan: string; arc: string };

/** One thing Shopify tells: an install (afterAuth) or a signed webhook delivery. */
export type Told =
  | { kind: "install"; shop: DemoShop; at: Date }
  | { kind: "webhook"; shop: DemoShop; at: Date; topic: string; payload: Record<string, unknown>; webhookId: string; eventId: string };

/** mulberry32: a small seeded PRNG, so every run tells the same story. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)],
  };
}

/** A UUID made from a name: a delivery's ids are the same on every run, so a re-run is a redelivery. */
function stableUuid(name: string): string {
  const hex = createHash("sha256").update(name).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const FIRST = [
  "Maple",
  "Harbor",
  "Juniper",
  "Copper",
  "Willow",
  "Northwind",
  "Saffron",
  "Granite",
  "Lumen",
  "Bramble",
  "Cobalt",
  "Fable",
  "Marigold",
  "Pebble",
  "Tidal",
  "Ember",
  "Orchard",
  "Velvet",
  "Summit",
  "Hollow",
  "Aurora",
  "Thistle",
  "Driftwood",
  "Quarry",
  "Meadow",
  "Lantern",
  "Cinder",
  "Sparrow",
  "Kestrel",
  "Alder",
];
const SECOND = [
  "Goods",
  "Supply Co",
  "Studio",
  "Outfitters",
  "Apothecary",
  "Provisions",
  "Threads",
  "Ceramics",
  "Coffee",
  "Books",
  "Candles",
  "Cycles",
  "Botanicals",
  "Workshop",
  "Pantry",
];
const OWNERS = [
  "Ava Chen",
  "Liam Patel",
  "Noah Garcia",
  "Mia Rossi",
  "Lucas Martin",
  "Zoe Dubois",
  "Ethan Kim",
  "Chloe Nguyen",
  "Leo Schmidt",
  "Ivy Walker",
  "Omar Haddad",
  "Sara Lind",
];
const SHOPIFY_PLANS = ["Basic", "Basic", "Grow", "Advanced", "Plus"];

/** The plans of shopify-app billing (app/shopify/billing.ts) as Shopify names and prices them. */
const PLAN = { Pro: "19.00", Plus: "49.00" } as const;
type PlanName = keyof typeof PLAN;

/** How a merchant's 90 days go; each ends on a plan the console's filters can find. */
type Arc =
  | "free"
  | "trialing"
  | "trialConverts"
  | "trialCancels"
  | "upgrades"
  | "downgrades"
  | "freezesRecovers"
  | "freezesCancels"
  | "paysThenUninstalls"
  | "uninstallsReinstalls"
  | "declines"
  | "plusStays";
const ARCS: Arc[] = [
  "trialing",
  "trialing",
  "trialing",
  "trialConverts",
  "trialConverts",
  "trialConverts",
  "trialConverts",
  "trialConverts",
  "trialConverts",
  "upgrades",
  "upgrades",
  "downgrades",
  "downgrades",
  "plusStays",
  "plusStays",
  "freezesRecovers",
  "freezesRecovers",
  "freezesCancels",
  "trialCancels",
  "trialCancels",
  "trialCancels",
  "paysThenUninstalls",
  "paysThenUninstalls",
  "paysThenUninstalls",
  "uninstallsReinstalls",
  "uninstallsReinstalls",
  "declines",
  "free",
  "free",
  "free",
];

/**
 * The demo's history ending at `anchor`: the demo shop (installed 60 days before, on Pro after its
 * trial) and 30 merchants, ordered by time as Shopify would have told it.
 */
export function demoHistory(anchor: Date, seed = DEMO_SEED): Told[] {
  const random = prng(seed);
  const end = anchor.getTime();
  const start = end - HISTORY_DAYS * DAY;
  const told: Told[] = [];
  let subscriptionIds = 31_297_700_000;

  const merchants: { shop: DemoShop; arc: Arc; installAt: number }[] = [
    {
      shop: {
        domain: FIXTURE_SHOP,
        name: "Convot Demo",
        owner: "Dana Fisher",
        email: "owner@convot-demo.example",
        shopifyPlan: "Basic",
        arc: "trialConverts",
      },
      arc: "trialConverts",
      installAt: end - 60 * DAY,
    },
  ];
  ARCS.forEach((arc, i) => {
    const name = `${FIRST[i]} ${random.pick(SECOND)}`;
    const handle = name.toLowerCase().replace(/[^a-z0-9]+/g, "-");
    const owner = random.pick(OWNERS);
    merchants.push({
      shop: {
        domain: `${handle}.myshopify.com`,
        name,
        owner,
        email: `${owner.split(" ")[0].toLowerCase()}@${handle}.example`,
        shopifyPlan: random.pick(SHOPIFY_PLANS),
        arc,
      },
      arc,
      // Spread over the 90 days, leaving room for what follows the install; trials still running begin in the last 10.
      installAt: start + (arc === "trialing" ? random.int(80, 88) : random.int(0, 70)) * DAY + random.int(8, 20) * HOUR + random.int(0, 59) * 60_000,
    });
  });

  for (const { shop, arc, installAt } of merchants) {
    let step = 0;
    const ids = () => {
      const name = `${seed}:${shop.domain}:${step++}`;
      return { webhookId: stableUuid(`webhook:${name}`), eventId: stableUuid(`event:${name}`) };
    };
    const shopId = fixtureShopId(shop.domain);
    const webhook = (topic: string, at: number, payload: Record<string, unknown>) => {
      if (at <= end) told.push({ kind: "webhook", shop, at: new Date(at), topic, payload, ...ids() });
    };
    const subscription = (sub: { id: string; plan: PlanName; createdAt: number }, status: string, at: number) =>
      webhook("app_subscriptions/update", at, {
        app_subscription: {
          admin_graphql_api_id: sub.id,
          name: sub.plan,
          status,
          admin_graphql_api_shop_id: `gid://shopify/Shop/${shopId}`,
          created_at: new Date(sub.createdAt).toISOString(),
          updated_at: new Date(at).toISOString(),
          currency: "USD",
          capped_amount: null,
          price: PLAN[sub.plan],
          interval: "every_30_days",
          plan_handle: null,
        },
      });
    /** The merchant approves a plan: Shopify activates it (after a pending charge) and cancels the one it replaces. */
    const subscribe = (plan: PlanName, at: number, replaces?: { id: string; plan: PlanName; createdAt: number }) => {
      const sub = { id: `gid://shopify/AppSubscription/${++subscriptionIds}`, plan, createdAt: at };
      subscription(sub, "PENDING", at);
      subscription(sub, "ACTIVE", at + 90_000);
      if (replaces) subscription(replaces, "CANCELLED", at + 95_000);
      return sub;
    };
    const uninstall = (at: number, live?: { id: string; plan: PlanName; createdAt: number }) => {
      // Shopify cancels the app's subscription when the app is uninstalled.
      if (live) subscription(live, "CANCELLED", at);
      const payload = fixturePayload("app/uninstalled", shop.domain) as Record<string, unknown>;
      webhook("app/uninstalled", at + 1000, {
        ...payload,
        name: shop.name,
        email: shop.email,
        shop_owner: shop.owner,
        plan_display_name: shop.shopifyPlan,
        updated_at: new Date(at + 1000).toISOString(),
      });
    };
    const install = (at: number) => {
      if (at <= end) told.push({ kind: "install", shop, at: new Date(at) });
    };
    const later = (from: number, minDays: number, maxDays: number) => from + random.int(minDays, maxDays) * DAY + random.int(1, 8) * HOUR;

    install(installAt);
    const t1 = later(installAt, 0, 3);
    switch (arc) {
      case "free":
        if (random.next() < 0.5) {
          const at = later(installAt, 5, 15);
          const payload = fixturePayload("shop/update", shop.domain) as Record<string, unknown>;
          webhook("shop/update", at, {
            ...payload,
            name: shop.name,
            email: shop.email,
            shop_owner: shop.owner,
            plan_display_name: "Grow",
            plan_name: "grow",
            updated_at: new Date(at).toISOString(),
          });
        }
        break;
      case "trialing":
      case "trialConverts":
        subscribe("Pro", t1);
        break;
      case "plusStays":
        subscribe("Plus", t1);
        break;
      case "trialCancels": {
        const pro = subscribe("Pro", t1);
        const at = later(t1, 3, 12);
        subscription(pro, "CANCELLED", at);
        if (random.next() < 0.5) uninstall(later(at, 0, 2));
        break;
      }
      case "upgrades": {
        const pro = subscribe("Pro", t1);
        subscribe("Plus", later(t1, 16, 30), pro);
        break;
      }
      case "downgrades": {
        // Pro's trial, Plus, then back to Pro: the trial is used, so the move reads as plan_downgraded.
        const pro = subscribe("Pro", t1);
        const upgraded = later(t1, 15, 20);
        const plus = subscribe("Plus", upgraded, pro);
        subscribe("Pro", later(upgraded, 10, 20), plus);
        break;
      }
      case "freezesRecovers": {
        const pro = subscribe("Pro", t1);
        const frozen = later(t1, 20, 30);
        subscription(pro, "FROZEN", frozen);
        subscription(pro, "ACTIVE", later(frozen, 2, 6));
        break;
      }
      case "freezesCancels": {
        const plus = subscribe("Plus", t1);
        const frozen = later(t1, 15, 20);
        subscription(plus, "FROZEN", frozen);
        subscription(plus, "CANCELLED", later(frozen, 5, 10));
        break;
      }
      case "paysThenUninstalls": {
        const pro = subscribe("Pro", t1);
        uninstall(later(t1, 18, 40), pro);
        break;
      }
      case "uninstallsReinstalls": {
        const pro = subscribe("Pro", t1);
        const gone = later(t1, 15, 25);
        uninstall(gone, pro);
        const back = later(gone, 3, 10);
        install(back);
        // Back on a paid plan: no second trial (the fold grants one per merchant).
        subscribe("Pro", later(back, 0, 1));
        break;
      }
      case "declines": {
        const sub = { id: `gid://shopify/AppSubscription/${++subscriptionIds}`, plan: "Plus" as const, createdAt: t1 };
        subscription(sub, "PENDING", t1);
        subscription(sub, "DECLINED", t1 + 5 * 60_000);
        break;
      }
    }
  }
  return told.sort((a, b) => a.at.getTime() - b.at.getTime());
}
