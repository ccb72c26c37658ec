import type { LoaderFunctionArgs } from "@remix-run/node";
import { waitForAppActivity } from "../conversations/long-polls.server";
import { liveCursorResponse } from "../http/live";
import { holdLongPoll } from "../ops/drain.server";
import { authenticate } from "../shopify.server";
import { storefrontInbox } from "../shopify/storefront-inbox.server";

// GET ?after=&wait=: answers when the shop's storefront inbox has a newer message (the Inbox refreshes).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId } = await storefrontInbox(session.shop);
  return liveCursorResponse(request, (after, waitMs) =>
    holdLongPoll(request.signal, "inbox", (signal) => waitForAppActivity(appId, after, waitMs, signal)),
  );
};
