import type { LoaderFunctionArgs } from "@remix-run/node";
import { parsePathId } from "../contacts/validation";
import { authenticate } from "../shopify.server";
import { exportShopperData } from "../shopify/webhooks/compliance.server";

// The shopper's data as JSON, for the merchant to send on; another shop's request is 404.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const id = parsePathId(params.id);
  const data = id === null ? null : await exportShopperData(session.shop, id);
  if (!data) throw new Response("Not found", { status: 404 });
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="customer-data-request-${id}.json"`,
      "Cache-Control": "no-store",
    },
  });
};
