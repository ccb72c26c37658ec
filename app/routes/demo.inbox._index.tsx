import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadInbox } from "../http/inbox.server";
import { demoInbox } from "../shopify/demo-admin.server";

export { default, meta } from "./app.inbox._index";

// Demo mode's stand-in for /app/inbox: the demo shop's storefront conversations.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { appId } = await demoInbox();
  return { inbox: await loadInbox(appId, request), basePath: "/demo/inbox", liveUrl: "/demo/live" };
};
