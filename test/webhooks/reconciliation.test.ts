// Reconciliation heals what webhooks missed: Shopify's Admin GraphQL (mocked at the HTTP boundary
// with its real answers: the account, THROTTLED, a 401 for a refused token) against the fold.
import { afterEach, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { deliverWebhook } from "../support/shopify";
import {
  adminApi,
  embeddedAdminUrl,
  mockShopify,
  reconcileResponse,
  shopifyReply,
  throttled,
  type ShopifyAccount,
  type ShopifyMock,
} from "../support/shopify-admin";
import { merchant, subscriptionUpdate, timeline } from "../support/merchants";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newShop = () => `reconcile-${++n}-${Date.now()}.myshopify.com`;
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();

/** A shop installed with an offline session the app can call Shopify with. */
async function installedShop(shop: string) {
  await request("/");
  const { prisma } = await db();
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "s", isOnline: false, scope: "read_themes", accessToken: "shpat_reconcile" },
  });
  const { recordInstall } = await import("../../app/shopify/install.server");
  await recordInstall(shop, null, new Date(ago(30)));
}

const reconcileQueries = () => shopify!.received.filter((r) => r.body.includes("ConvotReconcile")).length;

/** Reconciles the shop now, as the sweep does for each shop it takes. */
async function reconcile(shop: string) {
  const { reconcileShop } = await import("../../app/shopify/reconciliation.server");
  return reconcileShop(shop);
}

/** The shop's merchant page as the developer's team sees it. */
async function merchantPage(shop: string) {
  const { findAppByPublicKey } = await import("../../app/apps/apps.server");
  const app = (await findAppByPublicKey(process.env.CONVOT_APP_KEY!))!;
  const email = `ops-${++n}-${Date.now()}@convot.example`;
  await createOperator(app.organizationId, email);
  const cookie = await loginCookie(email);
  const contact = (await merchant(shop))!;
  return (await request(`/console/apps/${app.id}/merchants/${contact.id}`, { headers: { Cookie: cookie } })).text();
}

describe("reconciliation with Shopify's Admin API", () => {
  it("a cancellation nobody delivered: plan_cancelled from reconciliation, custom data fixed, drift shown on the merchant page", async () => {
    const shop = newShop();
    await installedShop(shop);
    await subscriptionUpdate(shop, {
      admin_graphql_api_id: "gid://shopify/AppSubscription/7",
      name: "Pro",
      status: "ACTIVE",
      created_at: ago(20),
      updated_at: ago(20),
    });
    shopify = mockShopify(shop, () => reconcileResponse(shop, { plan: "Basic", subscriptions: [] }));

    expect(await reconcile(shop)).toBe("corrected");
    const [cancelled] = await timeline(shop);
    expect(cancelled).toMatchObject({ name: "plan_cancelled", properties: { plan: "pro", source: "reconciliation" } });
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "free", mrr_usd: 0, billing_status: "cancelled", active: true });

    const page = await merchantPage(shop);
    const card = page.split('data-testid="shopify-confirmation"')[1];
    expect(card).toMatch(/Last confirmed with Shopify/);
    expect(card).toContain("pro (gid://shopify/AppSubscription/7) is no longer active at Shopify, recorded as ACTIVE");
    const event = page.split('data-testid="timeline-event"').find((e) => e.includes(">plan_cancelled<"))!;
    expect(event).toContain("Reconciled with Shopify");
  });

  it("an activation and a purchase nobody delivered: the lifecycle events are written with source reconciliation", async () => {
    const shop = newShop();
    await installedShop(shop);
    const account: ShopifyAccount = {
      plan: "Basic",
      subscriptions: [{ id: 11, name: "Plus", createdAt: ago(2), price: "49.0" }],
      purchases: [{ id: 5, name: "Onboarding call", createdAt: ago(3), price: "99.0" }],
    };
    shopify = mockShopify(shop, () => reconcileResponse(shop, account));
    expect(await reconcile(shop)).toBe("corrected");
    const events = (await timeline(shop)).filter((e) => e.properties.source === "reconciliation");
    expect(events.map((e) => [e.name, e.properties.to_plan ?? e.properties.name ?? null]).sort()).toEqual([
      ["one_time_purchase", "Onboarding call"],
      ["plan_upgraded", "plus"],
    ]);
    expect(events.find((e) => e.name === "one_time_purchase")!.occurred_at).toBe(account.purchases![0].createdAt);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "plus", mrr_usd: 49, billing_status: "active" });
  });

  it("when Shopify agrees, it confirms and writes nothing; asked again minutes later, it does not query Shopify", async () => {
    const shop = newShop();
    await installedShop(shop);
    await subscriptionUpdate(shop, {
      admin_graphql_api_id: "gid://shopify/AppSubscription/3",
      name: "Plus",
      status: "ACTIVE",
      created_at: ago(5),
      updated_at: ago(5),
    });
    await deliverWebhook("shop/update", { shop, payload: { myshopify_domain: shop, plan_display_name: "Basic", updated_at: ago(5) } });
    const before = await timeline(shop);
    shopify = mockShopify(shop, () =>
      reconcileResponse(shop, { plan: "Basic", subscriptions: [{ id: 3, name: "Plus", createdAt: ago(5), price: "49.0" }] }),
    );
    expect(await reconcile(shop)).toBe("confirmed");
    expect(await timeline(shop)).toEqual(before);
    expect(await reconcile(shop)).toBe("skipped"); // reconciled minutes ago
    expect(reconcileQueries()).toBe(1);
    expect(await merchantPage(shop)).toMatch(/Last confirmed with Shopify[\s\S]*No drift found/);
  });

  it("throttled: asks again after the wait Shopify's cost extension implies; still throttled, leaves it for the next sweep", async () => {
    const shop = newShop();
    await installedShop(shop);
    let calls = 0;
    shopify = mockShopify(shop, () => (++calls === 1 ? throttled(14, 9, 100) : reconcileResponse(shop, { plan: "Grow" })));
    const started = Date.now();
    expect(await reconcile(shop)).toBe("corrected");
    expect(Date.now() - started).toBeGreaterThanOrEqual(50); // 5 points short at 100 points/s
    expect(calls).toBe(2);
    expect((await merchant(shop))!.custom_data.shopify_plan).toBe("Grow");

    const busy = newShop();
    await installedShop(busy);
    const before = await timeline(busy);
    await shopify.restore();
    shopify = mockShopify(busy, () => throttled(1000, 0, 50)); // 20 s away: not waited for
    expect(await reconcile(busy)).toBe("throttled");
    expect(reconcileQueries()).toBe(1);
    expect(await timeline(busy)).toEqual(before);
  });

  it("a 401 (the offline token refused) is an uninstall: shop_uninstalled from reconciliation, active=false, sessions gone", async () => {
    const shop = newShop();
    await installedShop(shop);
    shopify = mockShopify(shop, () => shopifyReply(401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" }));
    expect(await reconcile(shop)).toBe("token_refused");
    const [uninstalled] = await timeline(shop);
    expect(uninstalled).toMatchObject({ name: "shop_uninstalled", properties: { source: "reconciliation" } });
    expect((await merchant(shop))!.custom_data.active).toBe(false);
    const { prisma } = await db();
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
  });

  it("the sweep takes installed shops not confirmed lately, skips those confirmed recently, and one claim wins among concurrent ones", async () => {
    const [stale, fresh] = [newShop(), newShop()];
    await installedShop(stale);
    await installedShop(fresh);
    const { sweepReconciliation } = await import("../../app/shopify/reconciliation.server");
    const { claimReconciliation } = await import("../../app/shopify/shop-reconciliations.server");
    const asked: string[] = [];
    const graphqlFor = async (shop: string) => async () => (asked.push(shop), { status: 200, body: reconcileResponse(shop) });
    await sweepReconciliation({ graphqlFor, limit: 10_000 });
    expect(asked).toEqual(expect.arrayContaining([stale, fresh]));
    asked.length = 0;
    await sweepReconciliation({ graphqlFor, limit: 10_000 });
    expect(asked).not.toContain(stale);

    const contested = newShop();
    const claims = await Promise.all(Array.from({ length: 8 }, () => claimReconciliation(contested, new Date(), 5 * 60_000)));
    expect(claims.filter(Boolean)).toHaveLength(1);
  });
});

describe("reconciliation when the merchant opens the embedded admin", () => {
  it("an admin page reconciles the shop before it renders, at most once every few minutes", async () => {
    const shop = newShop();
    shopify = mockShopify(
      shop,
      adminApi(shop, { account: { plan: "Basic", subscriptions: [{ id: 21, name: "Pro", createdAt: ago(1), price: "19.0", trialDays: 14 }] } }),
    );
    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    const trial = (await timeline(shop)).find((e) => e.name === "trial_started");
    expect(trial).toMatchObject({ properties: { plan: "pro", source: "reconciliation", subscription_id: "gid://shopify/AppSubscription/21" } });
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "pro", active: true });

    expect((await request(await embeddedAdminUrl(shop))).status).toBe(200);
    expect(reconcileQueries()).toBe(1);
  });
});
