import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData } from "@remix-run/react";
import { Banner, InlineStack } from "@shopify/polaris";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { ConvotWidget } from "../components/ConvotWidget";
import { EmbeddedAppProvider } from "../components/EmbeddedAppProvider";
import { env } from "../env.server";
import { requireDemo } from "../shopify/demo-admin.server";
import { merchantWidgetIdentity, scriptJson } from "../shopify/merchant-identity.server";

export const meta: MetaFunction = () => [{ title: "Convot demo" }];

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// Demo mode only: the admin as the demo shop's merchant sees it, without Shopify.
export const loader = async (_: LoaderFunctionArgs) => {
  const shop = requireDemo();
  const identity = await merchantWidgetIdentity(shop);
  return { shop, convot: { appKey: env.CONVOT_APP_KEY, origin: new URL(env.SHOPIFY_APP_URL).origin, identityJson: scriptJson(identity) } };
};

export default function DemoAdmin() {
  const { shop, convot } = useLoaderData<typeof loader>();
  return (
    <EmbeddedAppProvider apiKey="" embedded={false}>
      <ConvotWidget appKey={convot.appKey} origin={convot.origin} identityJson={convot.identityJson} />
      <div style={{ padding: "12px 24px", background: "#fff", borderBottom: "1px solid #e3e3e3" }}>
        <InlineStack gap="400">
          <Link to="/demo">Admin (demo)</Link>
          <Link to="/demo/inbox">Inbox</Link>
          <a href="/preview" target="_blank" rel="noreferrer">
            Storefront ↗
          </a>
          <Link to="/console">Console</Link>
        </InlineStack>
      </div>
      <div style={{ padding: "12px 24px 0" }}>
        <Banner tone="info">{`Demo mode: the embedded admin of ${shop}, without Shopify. The chat button is the merchant's line to the app's support team (the console's Inbox).`}</Banner>
      </div>
      <Outlet />
    </EmbeddedAppProvider>
  );
}
