import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "../env.server";
import { renderPreview } from "../widget/preview.server";

// Demo mode only: a sample storefront with the app embed block's real Liquid.
// ?customer=<id> plays a logged-in shopper; ?identify=<json> plays theme code calling Convot.identify.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!env.DEMO_MODE) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const settings: Record<string, string> = {};
  for (const key of ["accent_color", "position", "greeting", "hide_on_mobile"]) {
    const value = url.searchParams.get(key);
    if (value !== null) settings[key] = value;
  }
  const html = await renderPreview({
    origin: url.origin,
    customerId: /^\d{1,20}$/.test(url.searchParams.get("customer") ?? "") ? url.searchParams.get("customer") : null,
    identify: url.searchParams.get("identify"),
    settings,
    embed: url.searchParams.get("embed") !== "0",
  });
  return new Response(html, { headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
};
