import type { LoaderFunctionArgs } from "@remix-run/node";
import { waitForAppActivity } from "../conversations/feeds.server";
import { liveCursorResponse } from "../http/live";
import { demoInbox } from "../shopify/demo-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { appId } = await demoInbox();
  return liveCursorResponse(request, (after, waitMs) => waitForAppActivity(appId, after, waitMs, request.signal));
};
