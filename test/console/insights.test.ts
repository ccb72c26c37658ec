// The dashboard's MRR is the sum of the merchants' mrr_usd on every day: generated subscription
// histories are delivered as Shopify's signed webhooks through the real routes, and the
// dashboard's series (its loader's data, as the page gets it) is compared with the sum an
// independent model of each history gives, day by day (docs/decisions/026).
import path from "node:path";
import { pathToFileURL } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { api } from "../support/convot";
import { createOperator, loginCookie } from "../support/console";
import { ENGINE, ROOT } from "../support/database";
import { DEVELOPER_TOKEN, subscriptionUpdate } from "../support/merchants";
import { deliverWebhook } from "../support/shopify";
import { fixturePayload, fixtureShopId } from "../../scripts/lib/shopify-webhook";

const DAY = 86_400_000;
const PRICES = { Pro: 19, Plus: 49, Enterprise: 120 } as const;
type Plan = keyof typeof PRICES;
type Step = { gapHours: number; action: "subscribe" | "freeze" | "recover" | "cancel" | "uninstall" | "reinstall"; plan: Plan };

const stepArb: fc.Arbitrary<Step> = fc.record({
  gapHours: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 6 * 24 })),
  action: fc.constantFrom("subscribe", "subscribe", "subscribe", "freeze", "recover", "cancel", "uninstall", "reinstall"),
  plan: fc.constantFrom("Pro", "Plus", "Enterprise"),
});
const merchantArb = fc.record({ startDay: fc.integer({ min: 1, max: 80 }), steps: fc.array(stepArb, { minLength: 1, maxLength: 10 }) });

/** The MRR a merchant pays after each change, as a plain model of Shopify billing: (time, usd). */
type Change = { at: number; mrr: number };

let shops = 0;
/** Delivers one merchant's history as Shopify would; returns the model's MRR changes. */
async function deliverHistory(start: number, steps: Step[]): Promise<Change[]> {
  const shop = `mrr-${ENGINE}-${Date.now()}-${++shops}.myshopify.com`;
  const { recordInstall } = await import("../../app/shopify/install.server");
  const install = (at: number) =>
    recordInstall(
      shop,
      {
        domain: shop,
        shopId: fixtureShopId(shop),
        name: shop,
        email: null,
        ownerName: null,
        planName: null,
        planDisplayName: "Basic",
        currency: null,
        timezone: null,
        primaryDomain: null,
        sourceUpdatedAt: new Date(at),
      },
      new Date(at),
    );
  const changes: Change[] = [];
  const latest = Date.now() - 10 * 60_000;
  let t = start;
  let installed = true;
  let subscriptions = 0;
  let current: { id: string; plan: Plan; status: "ACTIVE" | "FROZEN"; createdAt: number } | null = null;
  const send = async (sub: { id: string; plan: Plan; createdAt: number }, status: string, at: number) => {
    const res = await subscriptionUpdate(
      shop,
      {
        admin_graphql_api_id: sub.id,
        admin_graphql_api_shop_id: `gid://shopify/Shop/${fixtureShopId(shop)}`,
        name: sub.plan,
        status,
        price: `${PRICES[sub.plan]}.00`,
        created_at: new Date(sub.createdAt).toISOString(),
        updated_at: new Date(at).toISOString(),
      },
      { triggeredAt: new Date(at) },
    );
    expect(res.status).toBe(200);
  };
  await install(t);
  for (const step of steps) {
    t += step.gapHours * 3_600_000;
    if (t > latest) break;
    switch (step.action) {
      case "subscribe": {
        if (!installed) break;
        const next = { id: `gid://shopify/AppSubscription/${shops}${++subscriptions}`, plan: step.plan, status: "ACTIVE" as const, createdAt: t };
        await send(next, "ACTIVE", t);
        if (current) await send(current, "CANCELLED", t + 1000); // Shopify cancels the one it replaces
        current = next;
        changes.push({ at: t, mrr: PRICES[next.plan] });
        break;
      }
      case "freeze":
        if (current?.status === "ACTIVE") {
          await send(current, "FROZEN", t);
          current.status = "FROZEN";
        }
        break;
      case "recover":
        if (current?.status === "FROZEN") {
          await send(current, "ACTIVE", t);
          current.status = "ACTIVE";
        }
        break;
      case "cancel":
        if (current) {
          await send(current, "CANCELLED", t);
          current = null;
          changes.push({ at: t, mrr: 0 });
        }
        break;
      case "uninstall": {
        if (!installed) break;
        // Shopify cancels the app's subscription with the uninstall.
        if (current) {
          await send(current, "CANCELLED", t);
          current = null;
          changes.push({ at: t, mrr: 0 });
        }
        const payload = { ...(fixturePayload("app/uninstalled", shop) as object), updated_at: new Date(t + 1000).toISOString() };
        expect((await deliverWebhook("app/uninstalled", { shop, payload, triggeredAt: new Date(t + 1000) })).status).toBe(200);
        installed = false;
        break;
      }
      case "reinstall":
        if (!installed) {
          await install(t);
          installed = true;
        }
        break;
    }
  }
  return changes;
}

/** A merchant's MRR at the end of a UTC day: the last change before the next day begins. */
function mrrAtEndOf(changes: Change[], day: string): number {
  const end = Date.parse(`${day}T00:00:00Z`) + DAY;
  let mrr = 0;
  for (const change of changes) if (change.at < end) mrr = change.mrr;
  return mrr;
}

type DashboardData = {
  insights: { mrr: number; days: { day: string; mrr: number; new: number; expansion: number; contraction: number; churned: number }[] };
};

async function dashboardLoader(appId: number, cookie: string): Promise<DashboardData> {
  await request("/"); // the build is loaded
  const build = await import(pathToFileURL(path.join(ROOT, "build/index.js")).href);
  const route = build.routes["routes/console.apps.$appId.dashboard"].module;
  const url = `http://localhost:3000/console/apps/${appId}/dashboard`;
  return route.loader({
    request: new Request(url, { headers: { Cookie: cookie, host: "localhost:3000" } }),
    params: { appId: String(appId) },
    context: {},
  });
}

describe("dashboard insights", () => {
  it("MRR on every day of a generated history is the sum of the merchants' mrr_usd", async () => {
    await request("/");
    const { findAppByPublicKey } = await import("../../app/apps/apps.server");
    const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
    const email = `mrr-${ENGINE}-${Date.now()}@convot.example`;
    await createOperator(app.organizationId, email);
    const cookie = await loginCookie(email);
    const everyMerchant: Change[][] = [];

    await fc.assert(
      fc.asyncProperty(fc.array(merchantArb, { minLength: 1, maxLength: 3 }), async (merchants) => {
        const today = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate());
        for (const m of merchants) everyMerchant.push(await deliverHistory(today - m.startDay * DAY + 9 * 3_600_000, m.steps));

        const { insights } = await dashboardLoader(app.id, cookie);
        expect(insights.days).toHaveLength(90);
        const oracle = insights.days.map((d) => everyMerchant.reduce((sum, changes) => sum + mrrAtEndOf(changes, d.day), 0));
        expect(insights.days.map((d) => d.mrr)).toEqual(oracle);
        // Each day's movements add up to the day's change.
        insights.days.forEach((d, i) => {
          if (i === 0) return;
          expect(Math.round((d.new + d.expansion - d.contraction - d.churned) * 100)).toBe(Math.round((d.mrr - insights.days[i - 1].mrr) * 100));
        });
        // Today's figure is the sum of the mrr_usd the merchants' contacts hold now.
        let held = 0;
        for (let page = 1; ; page++) {
          const res = await api(`/api/v1/contacts?per_page=100&page=${page}`, { token: DEVELOPER_TOKEN() });
          held += res.body.contacts.reduce((sum: number, c: { custom_data: Record<string, unknown> }) => sum + Number(c.custom_data.mrr_usd ?? 0), 0);
          if (!res.body.meta.has_more) break;
        }
        expect(insights.mrr).toBe(held);
        expect(insights.days[89].mrr).toBe(held);
      }),
      { numRuns: Number(process.env.MRR_RUNS ?? 12), seed: Number(process.env.MRR_SEED ?? 2026), endOnFailure: true },
    );
  }, 240_000);
});
