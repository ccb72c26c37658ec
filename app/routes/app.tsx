import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { ConvotWidget } from "../components/ConvotWidget";
import { EmbeddedAppProvider } from "../components/EmbeddedAppProvider";
import { merchantWidgetIdentity, scriptJson } from "../shopify/merchant-identity.server";
import { reconcileOnAdminOpen } from "../shopify/reconciliation.server";
import { authenticate } from "../shopify.server";
import { env } from "../env.server";

export const meta: MetaFunction = () => [{ title: "Convot" }];

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

// The embedded admin's layout: every page below /app is authenticated by this loader.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  await reconcileOnAdminOpen(session.shop);
  const identity = await merchantWidgetIdentity(session.shop);
  return {
    apiKey: env.SHOPIFY_API_KEY,
    convot: { appKey: env.CONVOT_APP_KEY, origin: new URL(env.SHOPIFY_APP_URL).origin, identityJson: scriptJson(identity) },
  };
};

export default function App() {
  const { apiKey, convot } = useLoaderData<typeof loader>();
  return (
    <EmbeddedAppProvider apiKey={apiKey}>
      <ConvotWidget appKey={convot.appKey} origin={convot.origin} identityJson={convot.identityJson} />
      <NavMenu>
        <Link to="/app" rel="home">
          Home
        </Link>
        <Link to="/app/inbox">Inbox</Link>
        <Link to="/app/onboarding">Set up the widget</Link>
        <Link to="/app/plans">Plans</Link>
        <Link to="/app/data-requests">Data requests</Link>
      </NavMenu>
      <main>
        <Outlet />
      </main>
    </EmbeddedAppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so its headers reach the browser.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
