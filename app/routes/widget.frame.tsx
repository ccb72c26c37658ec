import type { LoaderFunctionArgs } from "@remix-run/node";
import { widgetFrame } from "../widget/frame.server";

// The chat panel the loader puts in a sandboxed iframe, on the app's own pages and its shop's
// storefront; any other host gets a page saying so (docs/decisions/015).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { status, html } = await widgetFrame(new URL(request.url).searchParams);
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // Framed by pages of the app's hosts, whose own ancestors (Shopify's admin, the theme
      // editor) we do not list; the panel itself checks that its parent is the host.
      "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors *",
      "Cache-Control": "no-store",
    },
  });
};
