// Loads the Convot widget on a page of this app (the same loader as the storefront) and
// identifies the visitor with an identity the server computed and signed.
import { useEffect } from "react";

export const QUEUE_STUB =
  'window.Convot=window.Convot||(function(q,c){c={q:q,v:1};["push","identify","open","close","identityToken"].forEach(function(m){c[m]=function(){q.push([m].concat([].slice.call(arguments)));return c}});return c})([]);';

export function ConvotWidget({ appKey, origin, identityJson }: { appKey: string; origin: string; identityJson: string | null }) {
  const boot = `${QUEUE_STUB}${identityJson ? `window.Convot.identify(${identityJson});` : ""}`;
  // The loader adds its launcher to <body>: it must run after React has hydrated the document,
  // or React finds an element it did not render and re-renders the page without it.
  useEffect(() => {
    if (document.querySelector("script[data-convot-app]")) return;
    const script = document.createElement("script");
    script.src = "/widget/loader.js";
    script.async = true;
    script.dataset.convotApp = appKey;
    script.dataset.convotOrigin = origin;
    document.body.appendChild(script);
  }, [appKey, origin]);
  return <script dangerouslySetInnerHTML={{ __html: boot }} />;
}
