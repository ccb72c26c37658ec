import type { LoaderFunctionArgs } from "@remix-run/node";
import { isDatabaseId } from "../convot/validation";
import { authenticate } from "../shopify.server";
import { exportShopperData } from "../shopify/webhooks/compliance.server";

// The shopper's data as JSON, for the merchant to send on; another shop's request is 404.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = Number(params.id);
  const data = /^\d{1,10}$/.test(params.id ?? "") && isDatabaseId(id) ? await exportShopperData(session.shop, id) : null;
  if (!data) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-data-request-${id}.json"`,
      "Cache-Control": "no-store",
    },
  });
};
