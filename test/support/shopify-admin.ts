// Shopify's servers, which tests cannot reach, mocked at the HTTP boundary with the responses
// Shopify gives: the token exchange of the new embedded auth strategy and Admin GraphQL.
import { API_KEY, API_SECRET_KEY, getJwt } from "@shopify/shopify-api/test-helpers";
import { MockAgent, getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import { readTomlApiVersion } from "../../scripts/lib/app-toml";
import { fixtureShopId } from "../../scripts/lib/shopify-webhook";

export type ShopifyMock = {
  agent: MockAgent;
  /** Bodies of every request Shopify received, by path. */
  received: { path: string; body: string }[];
  restore: () => Promise<void>;
};

/** An Admin API answer other than 200 (a 401 for a refused token, a 5xx). */
export type ShopifyReply = { statusCode: number; body: unknown; [REPLY]: true };
const REPLY = Symbol("shopify reply");
export const shopifyReply = (statusCode: number, body: unknown): ShopifyReply => ({ statusCode, body, [REPLY]: true });

/** The cost extension Shopify adds to every GraphQL answer. */
export const cost = (requested: number, available = 1990, restoreRate = 100) => ({
  cost: {
    requestedQueryCost: requested,
    actualQueryCost: requested,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate },
  },
});

/** A THROTTLED answer, as Shopify gives it (HTTP 200): the points asked for, those available, the restore rate. */
export const throttled = (requested: number, available: number, restoreRate = 100) => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
  extensions: {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate },
    },
  },
});

export type ShopifyAccount = {
  plan?: string;
  subscriptions?: { id: number; name: string; status?: string; createdAt: string; price: string; trialDays?: number }[];
  purchases?: { id: number; name: string; status?: string; createdAt: string; price: string }[];
};

/** What ConvotReconcile gets back: the shop, its app installation's active subscriptions and one-time purchases. */
export function reconcileResponse(shop: string, account: ShopifyAccount = {}) {
  return {
    data: {
      shop: { id: `gid://shopify/Shop/${fixtureShopId(shop)}`, myshopifyDomain: shop, plan: { displayName: account.plan ?? "Basic" } },
      currentAppInstallation: {
        activeSubscriptions: (account.subscriptions ?? []).map((s) => ({
          id: `gid://shopify/AppSubscription/${s.id}`,
          name: s.name,
          status: s.status ?? "ACTIVE",
          createdAt: s.createdAt,
          trialDays: s.trialDays ?? 0,
          test: false,
          lineItems: [
            {
              plan: {
                pricingDetails: { __typename: "AppRecurringPricing", interval: "EVERY_30_DAYS", price: { amount: s.price, currencyCode: "USD" } },
              },
            },
          ],
        })),
        oneTimePurchases: {
          nodes: (account.purchases ?? []).map((p) => ({
            id: `gid://shopify/AppPurchaseOneTime/${p.id}`,
            name: p.name,
            status: p.status ?? "ACTIVE",
            createdAt: p.createdAt,
            price: { amount: p.price, currencyCode: "USD" },
          })),
        },
      },
    },
    extensions: cost(14),
  };
}

export function shopDetailsResponse(shop: string, overrides: Record<string, unknown> = {}) {
  return {
    data: {
      shop: {
        id: `gid://shopify/Shop/${fixtureShopId(shop)}`,
        name: "Acme Outfitters",
        email: "Owner@Acme.example",
        myshopifyDomain: shop,
        primaryDomain: { host: shop },
        shopOwnerName: "Avery Stone",
        currencyCode: "USD",
        ianaTimezone: "America/Toronto",
        updatedAt: "2026-11-18T15:00:00Z",
        plan: { displayName: "Basic", partnerDevelopment: false, shopifyPlus: false },
        ...overrides,
      },
    },
    extensions: {
      cost: { requestedQueryCost: 1, actualQueryCost: 1, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 1999, restoreRate: 100 } },
    },
  };
}

export function settingsDataWithEmbed(enabled: boolean | null) {
  const blocks: Record<string, unknown> = {
    "1290412893712939231": { type: "shopify://apps/reviews/blocks/stars/abc", disabled: false, settings: {} },
  };
  if (enabled !== null) {
    blocks["4406718421530187776"] = {
      type: "shopify://apps/convot/blocks/convot-embed/0c5e4a06-9d0b-4a1b-8f4e-3d2c1b0a9f8e",
      disabled: !enabled,
      settings: { accent_color: "#0a7d53", position: "left", greeting: "Hello from Acme!", hide_on_mobile: false },
    };
  }
  return `/*\n * IMPORTANT: The contents of this file are auto-generated.\n */\n${JSON.stringify({ current: { blocks, sections: {} }, presets: {} })}`;
}

/**
 * Admin GraphQL as Shopify answers this app's queries: shop details, the app installation,
 * metafieldsSet, the main theme's settings_data.json (embed on, off, or absent).
 */
export function adminApi(shop: string, options: { embed?: boolean | null; shop?: Record<string, unknown>; account?: ShopifyAccount } = {}) {
  return (query: string) => {
    if (query.includes("ConvotReconcile")) return reconcileResponse(shop, { plan: "Basic", ...options.account });
    if (query.includes("ConvotShopDetails")) return shopDetailsResponse(shop, options.shop);
    if (query.includes("ConvotInstallation")) return { data: { currentAppInstallation: { id: "gid://shopify/AppInstallation/5419114537" } } };
    if (query.includes("metafieldsSet"))
      return { data: { metafieldsSet: { metafields: [{ key: "app_key" }, { key: "app_origin" }], userErrors: [] } } };
    if (query.includes("ConvotEmbedStatus")) {
      return {
        data: {
          themes: {
            nodes: [{ name: "Dawn", files: { nodes: [{ body: { content: settingsDataWithEmbed(options.embed ?? null) } }] } }],
          },
        },
      };
    }
    return { errors: [{ message: `unexpected query in test: ${query.slice(0, 80)}` }] };
  };
}

/** Intercepts calls to `shop`: token exchange answers a fresh expiring offline token; GraphQL answers `graphql`. */
export function mockShopify(shop: string, graphql: (query: string) => unknown): ShopifyMock {
  const previous: Dispatcher = getGlobalDispatcher();
  const agent = new MockAgent();
  agent.disableNetConnect();
  const received: ShopifyMock["received"] = [];
  const pool = agent.get(`https://${shop}`);
  pool
    .intercept({ path: "/admin/oauth/access_token", method: "POST" })
    .reply((options) => {
      received.push({ path: options.path, body: String(options.body) });
      return {
        statusCode: 200,
        data: JSON.stringify({
          access_token: `shpat_${Math.random().toString(36).slice(2)}`,
          scope: "read_themes",
          expires_in: 3600,
          refresh_token: `shprt_${Math.random().toString(36).slice(2)}`,
          refresh_token_expires_in: 7_776_000,
        }),
        responseOptions: { headers: { "content-type": "application/json" } },
      };
    })
    .persist();
  pool
    .intercept({ path: `/admin/api/${readTomlApiVersion()}/graphql.json`, method: "POST" })
    .reply((options) => {
      const body = String(options.body);
      received.push({ path: options.path, body });
      const answer = graphql(JSON.parse(body).query);
      const reply = answer && typeof answer === "object" && REPLY in answer ? (answer as ShopifyReply) : null;
      return {
        statusCode: reply?.statusCode ?? 200,
        data: JSON.stringify(reply ? reply.body : answer),
        responseOptions: { headers: { "content-type": "application/json" } },
      };
    })
    .persist();
  setGlobalDispatcher(agent);
  return {
    agent,
    received,
    restore: async () => {
      setGlobalDispatcher(previous);
      await agent.close();
    },
  };
}

/** An embedded admin document request, as the Shopify admin loads the app's iframe. */
export async function embeddedAdminUrl(shop: string, path = "/app") {
  const store = shop.replace(/\.myshopify\.com$/, "");
  const { token } = await getJwt(store, API_KEY, API_SECRET_KEY);
  const host = Buffer.from(`admin.shopify.com/store/${store}`).toString("base64");
  const params = new URLSearchParams({ embedded: "1", shop, host, id_token: token });
  return `${path}?${params}`;
}
