import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireOperator } from "../console/auth.server";
import { contactsCsv } from "../console/export.server";
import { parseConsoleId } from "../console/ids";
import { appForOperator } from "../console/merchants.server";

// /console/apps/:appId/contacts.csv — every contact of the app with its custom data.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { operator } = await requireOperator(request);
  const app = await appForOperator(operator.organizationId, parseConsoleId(params.appId)).catch(() => {
    throw new Response("Not found", { status: 404 });
  });
  return new Response(await contactsCsv(app.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="convot-contacts-app-${app.id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
