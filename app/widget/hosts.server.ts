// Where an app's widget may run: the page origins the app knows to be its own. The panel frame
// and the widget session refuse any other host (docs/decisions/015).
import type { ConvotApp } from "../apps/apps.server";
import { env } from "../env.server";
import { DEMO_SHOP } from "../shopify/demo";
import { findShopDetails } from "../shopify/shops.server";

/** Shopify's admin: it frames the embedded app's pages, where the Shopify app's own widget runs. */
const SHOPIFY_ADMIN_ORIGIN = "https://admin.shopify.com";

/**
 * The value if it is an http(s) origin written exactly as `location.origin` writes it (lower
 * case, no default port, no path or trailing slash), else null. The panel keys its storage by
 * this string, so one page has one spelling; "null" (sandboxed and file: pages) is no origin.
 */
export function parseHostOrigin(value: unknown): string | null {
  if (typeof value !== "string" || value.length > 300) return null;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value ? value : null;
  } catch {
    return null;
  }
}

function httpsOrigin(host: string): string | null {
  try {
    return new URL(`https://${host}`).origin;
  } catch {
    return null;
  }
}

/**
 * Whether a page of `host` (a parsed origin) may show `app`'s widget:
 * - the Shopify app's own app: the app's origin (its embedded pages, /demo) and the Shopify admin;
 * - a shop's storefront app: https://<shop>.myshopify.com and the shop's primary domain (as
 *   Shopify last reported it); in demo mode the demo shop's storefront is the app's /preview;
 * - any other app (created for the API) has no site we know of: the app's origin only.
 */
export async function isWidgetHost(app: ConvotApp, host: string): Promise<boolean> {
  const appOrigin = new URL(env.SHOPIFY_APP_URL).origin;
  if (app.publicKey === env.CONVOT_APP_KEY) return host === appOrigin || host === SHOPIFY_ADMIN_ORIGIN;
  if (!app.shop) return host === appOrigin;
  if (host === httpsOrigin(app.shop)) return true;
  if (env.DEMO_MODE && app.shop === DEMO_SHOP && host === appOrigin) return true;
  const primaryDomain = (await findShopDetails(app.shop))?.primaryDomain;
  return primaryDomain ? host === httpsOrigin(primaryDomain) : false;
}
