// Polaris + App Bridge for pages embedded in the Shopify admin. Stands in for
// @shopify/shopify-app-remix/react's AppProvider, whose ESM build uses an import attribute
// (`with { type: "json" }`) that the Remix classic compiler's esbuild cannot parse
// (docs/decisions/003). Same behaviour: App Bridge script, Polaris, Remix links.
import { forwardRef, useEffect, type ReactNode } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { AppProvider as PolarisAppProvider } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import english from "@shopify/polaris/locales/en.json";

export const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

const RemixLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixLink({ url, ...rest }, ref) {
  return <Link {...rest} to={url} ref={ref} />;
});

export function EmbeddedAppProvider({ apiKey, embedded = true, children }: { apiKey: string; embedded?: boolean; children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    // App Bridge's navigation menu dispatches this; Remix does the client-side navigation.
    const onNavigate = (event: Event) => {
      const href = (event.target as Element | null)?.getAttribute("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", onNavigate);
    return () => removeEventListener("shopify:navigate", onNavigate);
  }, [navigate]);

  return (
    <>
      {embedded ? <script src={APP_BRIDGE_URL} data-api-key={apiKey} /> : null}
      <PolarisAppProvider i18n={english} linkComponent={RemixLink}>
        {children}
      </PolarisAppProvider>
    </>
  );
}
