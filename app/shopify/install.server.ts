// Installs and reinstalls, as afterAuth sees them: the merchant contact's shop_installed event
// and state. A re-authorisation while installed refreshes the details and records nothing.
import { sql } from "../db.server";
import { normalizeEmail } from "../convot/validation";
import { APP_VERSION } from "../version";
import { FREE_PLAN } from "./billing";
import { applyMerchantChange, findMerchant, merchantCustomData } from "./merchants.server";
import type { ShopDetails } from "./shops.server";

export type InstallOutcome = "installed" | "reinstalled" | "already_installed";

export async function recordInstall(shop: string, details: ShopDetails | null, at = new Date()): Promise<InstallOutcome> {
  return sql.transaction(async (tx) => {
    const merchant = await findMerchant(tx, shop);
    const state = merchant ? await merchantCustomData(tx, merchant.appContactId) : {};
    const everInstalled = "install_date" in state;
    const fields = details ? { email: details.email ? normalizeEmail(details.email) : undefined, name: details.ownerName ?? undefined, company: details.name } : undefined;
    const shopifyPlan: Record<string, string> = details?.planDisplayName ? { shopify_plan: details.planDisplayName } : {};
    if (everInstalled && state.active === true) {
      // Restated with this time: an uninstall that happened before it, delivered late, cannot undo it.
      await applyMerchantChange(tx, { shop, occurredAt: at, fields, customData: { active: true, app_version: APP_VERSION, ...shopifyPlan } });
      return "already_installed";
    }
    const reinstall = everInstalled;
    // Two afterAuth runs for one install (two tabs) share this key, so the event is recorded once.
    const idempotencyKey = reinstall ? `shop_installed:${shop}:after:${state.uninstalled_at ?? "unknown"}` : `shop_installed:${shop}:first`;
    await applyMerchantChange(tx, {
      shop,
      occurredAt: at,
      event: { name: "shop_installed", properties: { reinstall, shopify_plan: details?.planDisplayName ?? null }, idempotencyKey },
      fields,
      customData: reinstall ? { active: true } : { active: true, shopify_domain: shop, app_version: APP_VERSION, ...shopifyPlan },
      // Never overwritten: the first install's date stays; a plan set by an earlier billing webhook stays.
      customDataIfBlank: { install_date: at.toISOString().slice(0, 10), plan: FREE_PLAN },
    });
    return reinstall ? "reinstalled" : "installed";
  });
}
