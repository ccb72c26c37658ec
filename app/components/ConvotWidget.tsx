// Loads the Convot widget on a page of this app (the same loader as the storefront) and
// identifies the visitor with an identity the server computed and signed.
export const QUEUE_STUB =
  'window.Convot=window.Convot||(function(q,c){c={q:q,v:1};["push","identify","open","close","identityToken"].forEach(function(m){c[m]=function(){q.push([m].concat([].slice.call(arguments)));return c}});return c})([]);';

export function ConvotWidget({ appKey, origin, identityJson }: { appKey: string; origin: string; identityJson: string | null }) {
  const boot = `${QUEUE_STUB}${identityJson ? `window.Convot.identify(${identityJson});` : ""}`;
  return (
    <>
      <script dangerouslySetInnerHTML={{ __html: boot }} />
      <script src="/widget/loader.js" async data-convot-app={appKey} data-convot-origin={origin} />
    </>
  );
}
