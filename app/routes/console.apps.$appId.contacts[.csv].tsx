import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireConsoleApp } from "../console/auth.server";
import { contactsCsv } from "../console/export.server";

// /console/apps/:appId/contacts.csv — every contact of the app with its custom data.
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  return new Response(await contactsCsv(app.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="convot-contacts-app-${app.id}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};
