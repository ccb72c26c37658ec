// Installs and reinstalls, as afterAuth sees them: an install fact of the merchant's fold, which
// reads it as shop_installed {reinstall} — or as nothing for a re-authorisation while installed —
// and the merchant's details.
import { sql } from "../db.server";
import { normalizeEmail } from "../contacts/validation";
import { APP_VERSION } from "../version";
import { recordMerchantFacts } from "./merchant-state.server";
import type { ShopDetails } from "./shops.server";

export type InstallOutcome = "installed" | "reinstalled" | "already_installed";

export async function recordInstall(shop: string, details: ShopDetails | null, at = new Date()): Promise<InstallOutcome> {
  const fields = details
    ? { email: details.email ? normalizeEmail(details.email) : undefined, name: details.ownerName ?? undefined, company: details.name }
    : undefined;
  const fact = {
    kind: "installation",
    subject: "",
    status: "installed",
    occurredAt: at,
    data: { shopify_plan: details?.planDisplayName ?? null },
    source: "install",
    receivedAt: at,
  } as const;
  return sql.transaction(async (tx) => {
    const { created } = await recordMerchantFacts(tx, shop, [fact], { fields, customData: { shopify_domain: shop, app_version: APP_VERSION } });
    const installed = created.find(({ event }) => event.name === "shop_installed");
    if (!installed) return "already_installed";
    return installed.event.properties.reinstall ? "reinstalled" : "installed";
  });
}
