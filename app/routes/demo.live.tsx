import type { LoaderFunctionArgs } from "@remix-run/node";
import { waitForAppActivity } from "../conversations/long-polls.server";
import { liveCursorResponse } from "../http/live";
import { holdLongPoll } from "../ops/drain.server";
import { demoInbox } from "../shopify/demo-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { appId } = await demoInbox();
  return liveCursorResponse(request, (after, waitMs) =>
    holdLongPoll(request.signal, "inbox", (signal) => waitForAppActivity(appId, after, waitMs, signal)),
  );
};
