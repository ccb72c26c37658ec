import type { LoaderFunctionArgs } from "@remix-run/node";
import { widgetFrameHtml } from "../widget/frame.server";

// The chat panel the loader puts in a sandboxed iframe, on any storefront or admin page.
export const loader = ({ request }: LoaderFunctionArgs) =>
  new Response(widgetFrameHtml(new URL(request.url).searchParams), {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // Embeddable anywhere (storefront domains are unknown); it runs only our own script.
      "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors *",
      "Cache-Control": "no-store",
    },
  });
