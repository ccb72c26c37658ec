// The only caller of shopifyApp(): how this app authenticates with Shopify, where its
// sessions live, and what happens right after a merchant installs or re-authorises it.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { prisma, sql } from "./db.server";
import { env } from "./env.server";
import { afterAuth } from "./shopify/after-auth.server";
import { billingConfig } from "./shopify/billing";
import { CachedSessionStorage } from "./shopify/session-cache.server";
import { SessionStorage } from "./shopify/session-storage.server";

/** The Admin API version this app speaks; shopify.app.toml's [webhooks] api_version must agree. */
export const ADMIN_API_VERSION = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: ADMIN_API_VERSION,
  scopes: env.SCOPES.split(",")
    .map((scope) => scope.trim())
    .filter(Boolean),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new CachedSessionStorage(new SessionStorage(prisma, sql), sql),
  distribution: AppDistribution.AppStore,
  isEmbeddedApp: true,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: { afterAuth },
  billing: billingConfig,
  logger: { level: env.NODE_ENV === "development" ? LogSeverity.Info : LogSeverity.Warning },
  ...(env.SHOP_CUSTOM_DOMAIN ? { customShopDomains: [env.SHOP_CUSTOM_DOMAIN] } : {}),
});

export default shopify;
export const apiVersion = ADMIN_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
