// Order does not matter: generated merchant lifecycles, delivered as Shopify's signed webhooks in
// a random order with copies by webhook id and by event id (some at the same moment), end in the
// custom data and the timeline that in-order delivery gives (docs/decisions/019).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { ENGINE } from "../support/database";
import { deliverWebhook } from "../support/shopify";
import { merchant, timeline, type TimelineEvent } from "../support/merchants";
import { fixturePayload, fixtureShopId } from "../../scripts/lib/shopify-webhook";

/** What can happen next to a shop, as the generator proposes it (impossible steps are skipped). */
type Step = {
  gapMinutes: number;
  action: "subscribe" | "freeze" | "recover" | "cancel" | "decline" | "purchase" | "usage" | "shopPlan" | "uninstall" | "reinstall";
  plan: "Pro" | "Plus" | "Enterprise";
  shopPlan: "Basic" | "Grow" | "Advanced";
  amount: number;
  pending: boolean;
};

/** One thing Shopify tells us: a signed webhook, or an install seen by afterAuth. */
type Told = { kind: "webhook"; topic: string; at: Date; payload: (shop: string) => unknown } | { kind: "install"; at: Date; shopPlan: string };

const START = Date.parse("2026-09-01T00:00:00Z");
const PRICES = { Pro: "19.00", Plus: "49.00", Enterprise: "120.00" } as const;

/** A lifecycle that could happen, from the generator's proposals, in the order it happened. */
function lifecycle(steps: Step[]): Told[] {
  const told: Told[] = [];
  let t = START;
  let installed = true;
  let current: { id: string; plan: Step["plan"]; status: string; createdAt: Date } | null = null;
  let subscriptions = 0;
  let purchases = 0;
  let shopPlan = "Basic";
  const iso = (ms: number) => new Date(ms).toISOString();
  const subscription = (sub: { id: string; plan: Step["plan"]; createdAt: Date }, status: string, at: number): Told => ({
    kind: "webhook",
    topic: "app_subscriptions/update",
    at: new Date(at),
    payload: (shop) => {
      const base = (fixturePayload("app_subscriptions/update", shop) as { app_subscription: Record<string, unknown> }).app_subscription;
      return {
        app_subscription: {
          ...base,
          admin_graphql_api_id: sub.id,
          name: sub.plan,
          status,
          price: PRICES[sub.plan],
          created_at: sub.createdAt.toISOString(),
          updated_at: iso(at),
        },
      };
    },
  });
  told.push({ kind: "install", at: new Date(t), shopPlan });
  for (const step of steps) {
    t += step.gapMinutes * 60_000;
    const live = current && current.status !== "CANCELLED" ? current : null;
    switch (step.action) {
      case "subscribe": {
        if (!installed) break;
        const next = { id: `gid://shopify/AppSubscription/${++subscriptions}`, plan: step.plan, status: "ACTIVE", createdAt: new Date(t) };
        if (step.pending) {
          told.push(subscription(next, "PENDING", t));
          t += 60_000;
        }
        told.push(subscription(next, "ACTIVE", t));
        if (live) told.push(subscription(live, "CANCELLED", t + 1000)); // Shopify cancels the one it replaces
        current = next;
        break;
      }
      case "freeze":
        if (live?.status === "ACTIVE") {
          told.push(subscription(live, "FROZEN", t));
          live.status = "FROZEN";
        }
        break;
      case "recover":
        if (live?.status === "FROZEN") {
          told.push(subscription(live, "ACTIVE", t));
          live.status = "ACTIVE";
        }
        break;
      case "cancel":
        if (live) {
          told.push(subscription(live, "CANCELLED", t));
          live.status = "CANCELLED";
        }
        break;
      case "decline": {
        if (!installed) break;
        const declined = { id: `gid://shopify/AppSubscription/${++subscriptions}`, plan: step.plan, createdAt: new Date(t) };
        told.push(subscription(declined, "PENDING", t), subscription(declined, "DECLINED", t + 60_000));
        break;
      }
      case "purchase": {
        if (!installed) break;
        const id = `gid://shopify/AppPurchaseOneTime/${++purchases}`;
        for (const [status, at] of [
          ["PENDING", t],
          ["ACTIVE", t + 60_000],
        ] as const) {
          told.push({
            kind: "webhook",
            topic: "app_purchases_one_time/update",
            at: new Date(at),
            payload: (shop) => {
              const base = (fixturePayload("app_purchases_one_time/update", shop) as { app_purchase_one_time: Record<string, unknown> })
                .app_purchase_one_time;
              return {
                app_purchase_one_time: {
                  ...base,
                  admin_graphql_api_id: id,
                  name: `Credits ×${step.amount}`,
                  status,
                  price: `${step.amount}.00`,
                  created_at: iso(t),
                  updated_at: iso(at),
                },
              };
            },
          });
        }
        break;
      }
      case "usage":
        if (live?.status === "ACTIVE" && live.plan === "Plus") {
          const sub = live;
          told.push({
            kind: "webhook",
            topic: "app_subscriptions/approaching_capped_amount",
            at: new Date(t),
            payload: (shop) => ({
              ...(fixturePayload("app_subscriptions/approaching_capped_amount", shop) as object),
              admin_graphql_api_id: sub.id,
              balance_used: step.amount,
              updated_at: iso(t),
            }),
          });
        }
        break;
      case "shopPlan": {
        shopPlan = step.shopPlan;
        const plan = shopPlan;
        const at = t;
        told.push({
          kind: "webhook",
          topic: "shop/update",
          at: new Date(at),
          payload: (shop) => ({ ...(fixturePayload("shop/update", shop) as object), plan_display_name: plan, updated_at: iso(at) }),
        });
        break;
      }
      case "uninstall": {
        if (!installed) break;
        if (live) {
          // Shopify cancels it on uninstall
          told.push(subscription(live, "CANCELLED", t));
          live.status = "CANCELLED";
        }
        const at = t + 1000;
        told.push({
          kind: "webhook",
          topic: "app/uninstalled",
          at: new Date(at),
          payload: (shop) => ({ ...(fixturePayload("app/uninstalled", shop) as object), updated_at: iso(START) }),
        });
        installed = false;
        break;
      }
      case "reinstall":
        if (!installed) {
          told.push({ kind: "install", at: new Date(t), shopPlan });
          installed = true;
        }
        break;
    }
  }
  return told;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  gapMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 * 24 * 60 })),
  action: fc.constantFrom(
    "subscribe",
    "subscribe",
    "freeze",
    "recover",
    "cancel",
    "decline",
    "purchase",
    "usage",
    "shopPlan",
    "uninstall",
    "reinstall",
  ),
  plan: fc.constantFrom("Pro", "Plus", "Enterprise"),
  shopPlan: fc.constantFrom("Basic", "Grow", "Advanced"),
  amount: fc.integer({ min: 1, max: 99 }),
  pending: fc.boolean(),
});

const MAX_COPIES = 4;
const scenarioArb = fc.array(stepArb, { minLength: 3, maxLength: 16 }).chain((steps) => {
  const told = lifecycle(steps);
  return fc.record({
    steps: fc.constant(steps),
    // Copies of deliveries: the same webhook id (a redelivery) or a new one with the same event id.
    copies: fc.array(fc.record({ of: fc.nat({ max: told.length - 1 }), byEventId: fc.boolean() }), { maxLength: MAX_COPIES }),
    // The arrival order: each delivery's place, and whether it arrives together with the previous one.
    places: fc.array(fc.integer(), { minLength: told.length + MAX_COPIES, maxLength: told.length + MAX_COPIES }),
    together: fc.array(fc.boolean(), { minLength: told.length + MAX_COPIES, maxLength: told.length + MAX_COPIES }),
  });
});

type Arrival = { told: Told; webhookId: string; eventId: string };

let shops = 0;
const debug: string[] = [];
async function deliverAll(shop: string, arrivals: Arrival[][]) {
  const { recordInstall } = await import("../../app/shopify/install.server");
  for (const wave of arrivals) {
    const statuses = await Promise.all(
      wave.map(async ({ told, webhookId, eventId }) => {
        if (told.kind === "install") {
          const details = {
            domain: shop,
            shopId: fixtureShopId(shop),
            name: "Convot Demo",
            email: null,
            ownerName: null,
            planName: null,
            planDisplayName: told.shopPlan,
            currency: null,
            timezone: null,
            primaryDomain: null,
            sourceUpdatedAt: told.at,
          };
          await recordInstall(shop, details, told.at);
          return 200;
        }
        const res = await deliverWebhook(told.topic, { shop, webhookId, eventId, triggeredAt: told.at, payload: told.payload(shop) });
        return res.status;
      }),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
  }
}

const PROVENANCE = ["source", "shopify_webhook_id", "shopify_event_id", "received_late", "corrected_at", "correction"];
/** The timeline as the team reads it: what happened when, without where each event came from. */
function story(events: TimelineEvent[]) {
  return events
    .map((e) => ({
      name: e.name,
      occurred_at: e.occurred_at,
      properties: Object.fromEntries(Object.entries(e.properties).filter(([k]) => !PROVENANCE.includes(k))),
    }))
    .map((e) => JSON.stringify(e))
    .sort();
}
async function stateOf(shop: string) {
  const { shopify_domain: _domain, ...customData } = (await merchant(shop))!.custom_data;
  return { customData, timeline: story(await timeline(shop)) };
}

/** Runs the property; returns how many cases were generated. */
async function checkArrivalOrder(params: { numRuns: number; seed: number }) {
  let cases = 0;
  await fc.assert(
    fc.asyncProperty(scenarioArb, async ({ steps, copies, places, together }) => {
      cases++;
      const told = lifecycle(steps);
      const run = `${ENGINE}-${Date.now()}-${++shops}`;
      const inOrderShop = `order-a-${run}.myshopify.com`;
      const shuffledShop = `order-b-${run}.myshopify.com`;
      const ids = (shop: string, i: number) => ({ webhookId: `${shop}-wh-${i}`, eventId: `${shop}-ev-${i}` });

      // In order: one at a time, by the time it happened.
      await deliverAll(
        inOrderShop,
        told.map((t, i) => [{ told: t, ...ids(inOrderShop, i) }]),
      );

      // Any order, with copies, some arriving at the same moment (an install is seen alone).
      const arrivals: Arrival[] = told.map((t, i) => ({ told: t, ...ids(shuffledShop, i) }));
      copies.forEach((copy, n) => {
        const original = arrivals[copy.of];
        if (original.told.kind !== "webhook") return;
        arrivals.push({ ...original, webhookId: copy.byEventId ? `${original.webhookId}-copy-${n}` : original.webhookId });
      });
      const ordered = arrivals.map((arrival, i) => ({ arrival, place: places[i], i })).sort((a, b) => a.place - b.place || a.i - b.i);
      const waves: Arrival[][] = [];
      for (const { arrival, i } of ordered) {
        const last = waves.at(-1);
        const alone = arrival.told.kind === "install" || last?.[0].told.kind === "install";
        if (last && together[i] && !alone) last.push(arrival);
        else waves.push([arrival]);
      }
      await deliverAll(shuffledShop, waves);

      const expected = await stateOf(inOrderShop);
      if (process.env.ORDER_DEBUG)
        debug.push(
          `${told.length} told, ${arrivals.length} arrivals in ${waves.length} waves, ${expected.timeline.length} events: ${expected.timeline.map((e) => JSON.parse(e).name).join(",")}`,
        );
      expect(await stateOf(shuffledShop)).toEqual(expected);
    }),
    { numRuns: params.numRuns, seed: params.seed, endOnFailure: false },
  );
  return cases;
}

describe("arrival order does not matter (fast-check)", () => {
  it("every generated lifecycle, shuffled with copies by webhook id and by event id, ends as in-order delivery does", async () => {
    await request("/"); // boot: the Shopify app's own Convot app exists before installs are recorded in process
    // A modest, fixed run keeps the suite fast and repeatable; ORDER_RUNS and ORDER_SEED explore further.
    const numRuns = Number(process.env.ORDER_RUNS ?? 30);
    const seed = Number(process.env.ORDER_SEED ?? 20261202);
    const cases = await checkArrivalOrder({ numRuns, seed });
    console.log(`  arrival order: ${cases} generated cases on ${ENGINE} (seed ${seed})`);
    if (process.env.ORDER_DEBUG) console.log(debug.join("\n"));
    expect(cases).toBe(numRuns);
  }, 600_000);
});
