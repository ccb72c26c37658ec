import { API_KEY, API_SECRET_KEY, getJwt } from "@shopify/shopify-api/test-helpers";
import { afterEach, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { deliverWebhook } from "../support/shopify";
import { embeddedAdminUrl, mockShopify, type ShopifyMock } from "../support/shopify-admin";

let shopify: ShopifyMock | undefined;
afterEach(async () => {
  await shopify?.restore();
  shopify = undefined;
});

let n = 0;
const newShop = () => `admin-${++n}-${Date.now()}.myshopify.com`;

async function installedShop() {
  const shop = newShop();
  const { prisma } = await db();
  await prisma.session.create({
    data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_live", scope: "read_themes", expires: new Date(Date.now() + 3_600_000) },
  });
  return shop;
}

const bearer = async (shop: string) => `Bearer ${(await getJwt(shop.replace(".myshopify.com", ""), API_KEY, API_SECRET_KEY)).token}`;

const activeSubscription = (name: string) => ({
  id: "gid://shopify/AppSubscription/555",
  name,
  test: true,
  status: "ACTIVE",
  trialDays: 14,
  createdAt: "2026-11-01T00:00:00Z",
  currentPeriodEnd: "2026-12-01T00:00:00Z",
  returnUrl: "https://example.com",
  lineItems: [
    {
      id: "gid://shopify/AppSubscriptionLineItem/1",
      plan: {
        pricingDetails: {
          __typename: "AppRecurringPricing",
          price: { amount: "19.0", currencyCode: "USD" },
          interval: "EVERY_30_DAYS",
          discount: null,
        },
      },
    },
  ],
});

function billingApi(active: string | null) {
  return (query: string) => {
    if (query.includes("currentAppInstallation")) {
      return {
        data: {
          currentAppInstallation: {
            activeSubscriptions: active ? [activeSubscription(active)] : [],
            oneTimePurchases: { edges: [], pageInfo: { hasNextPage: false, endCursor: null } },
          },
        },
      };
    }
    if (query.includes("appSubscriptionCreate")) {
      return {
        data: {
          appSubscriptionCreate: {
            appSubscription: activeSubscription("Plus"),
            confirmationUrl: "https://admin.shopify.com/store/x/charges/31297618217/confirm_recurring_application_charge?signature=abc",
            userErrors: [],
          },
        },
      };
    }
    if (query.includes("appSubscriptionCancel")) {
      return {
        data: { appSubscriptionCancel: { appSubscription: { ...activeSubscription(active ?? "Pro"), status: "CANCELLED" }, userErrors: [] } },
      };
    }
    return { errors: [{ message: "unexpected query" }] };
  };
}

describe("admin Plans page", () => {
  it("shows every plan and marks the current one (from billing.check)", async () => {
    const shop = await installedShop();
    shopify = mockShopify(shop, billingApi("Pro"));
    const response = await request(await embeddedAdminUrl(shop, "/app/plans"));
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const text of ["Free", "Pro", "Plus", "$19/month", "14-day free trial", "Current plan", "Choose Plus", "Cancel Pro", "Test charges"]) {
      expect(html).toContain(text);
    }
    const check = shopify.received.find((r) => r.body.includes("currentAppInstallation"));
    expect(check).toBeDefined();
  });

  it("choosing a plan asks Shopify for a test subscription with the plan's price and trial, then sends the merchant to confirm", async () => {
    const shop = await installedShop();
    shopify = mockShopify(shop, billingApi(null));
    const response = await request("/app/plans", {
      method: "POST",
      headers: { Authorization: await bearer(shop), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "subscribe", plan: "Plus" }),
    });
    expect(response.headers.get("x-shopify-api-request-failure-reauthorize-url")).toMatch(/confirm_recurring_application_charge/);
    const create = JSON.parse(shopify.received.find((r) => r.body.includes("appSubscriptionCreate"))!.body);
    expect(create.variables).toMatchObject({ name: "Plus", test: true, returnUrl: expect.stringContaining("/app/plans") });
    expect(create.variables.lineItems).toHaveLength(2);
  });

  it("cancelling cancels the active subscription, prorated", async () => {
    const shop = await installedShop();
    shopify = mockShopify(shop, billingApi("Pro"));
    const response = await request("/app/plans", {
      method: "POST",
      headers: { Authorization: await bearer(shop), "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "cancel" }),
    });
    expect(response.status).toBe(200);
    const cancel = JSON.parse(shopify.received.find((r) => r.body.includes("appSubscriptionCancel"))!.body);
    expect(cancel.variables).toEqual({ id: "gid://shopify/AppSubscription/555", prorate: true });
  });
});

describe("admin data requests", () => {
  it("lists a shopper's data request and downloads the export; another shop gets 404", async () => {
    const shop = await installedShop();
    shopify = mockShopify(shop, () => ({ data: {} }));
    await deliverWebhook("customers/data_request", { shop });
    const page = await (await request(await embeddedAdminUrl(shop, "/app/data-requests"))).text();
    expect(page).toContain("jo.shopper@example.com");
    const id = /\/app\/data-requests\/(\d+)\/download/.exec(page)![1];

    const download = await request(`/app/data-requests/${id}/download`, { headers: { Authorization: await bearer(shop) } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain(`customer-data-request-${id}.json`);
    expect(await download.json()).toMatchObject({ request: { customer_id: "7418320650537", email: "jo.shopper@example.com" } });

    const other = await installedShop();
    const stranger = await request(`/app/data-requests/${id}/download`, { headers: { Authorization: await bearer(other) } });
    expect(stranger.status).toBe(404);
  });
});
