import { databaseEngine } from "../../db.server";
import { env } from "../../env.server";
import { DEMO_SHOP } from "../../shopify/demo";

type Step = { title: string; detail: string; commands: string[] };

/** What the landing page says: in demo mode, the things a newcomer can try right now, with commands aimed at `origin`. */
export function landingPage(origin: string) {
  const steps: Step[] = [
    {
      title: "See the chat widget on a sample storefront",
      detail:
        "/preview renders the theme app extension's real Liquid. Add ?customer=123 to play a logged-in shopper (identified through the app proxy), or ?greeting=Hello to change a setting.",
      commands: [`open ${origin}/preview`],
    },
    {
      title: "Chat: a shopper writes, the merchant answers; a merchant writes, your team answers",
      detail:
        "Write from the widget on /preview, then answer from /demo/inbox (the demo shop's admin Inbox, without Shopify). In /demo the chat button is the merchant's line to you: create an operator with this command, sign in at /console and answer from the Inbox.",
      commands: ['npm run convot -- operator create --email you@example.com --password "a long passphrase" --role owner'],
    },
    {
      title: "Call the contact API with the Shopify app's own key",
      detail:
        "CONVOT_API_KEY in .env is an API key of the Shopify app's Convot app; the first command puts .env into your shell. After sending the webhook below, the demo shop is a contact with a timeline.",
      commands: ["set -a; . ./.env; set +a", `curl -H "Authorization: Bearer $CONVOT_API_KEY" "${origin}/api/v1/contacts?external_id=${DEMO_SHOP}"`],
    },
    {
      title: "Send this app a webhook, signed as Shopify signs it",
      detail:
        "The trigger script builds Shopify's payload for a topic, signs it with SHOPIFY_API_SECRET and posts it to this server. A wrong secret is answered 401.",
      commands: [`npm run webhook -- app/uninstalled --shop ${DEMO_SHOP}`],
    },
    {
      title: "List the topics the script can send",
      detail: "Every topic subscribed in shopify.app.toml has a realistic fixture in test/fixtures/webhooks/.",
      commands: ["npm run webhook -- --list"],
    },
  ];
  return {
    demo: env.DEMO_MODE,
    databaseEngine,
    demoShop: DEMO_SHOP,
    appKey: env.CONVOT_APP_KEY ?? null,
    steps,
  };
}
