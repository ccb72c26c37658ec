import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { InboxList, useLiveUpdates } from "../components/Inbox";
import { inboxPage, inboxStatus } from "../conversations/inbox.server";
import { authenticate } from "../shopify.server";
import { storefrontInbox } from "../shopify/storefront-inbox.server";

// Shoppers' messages from the storefront widget.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId } = await storefrontInbox(session.shop);
  const url = new URL(request.url);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return { inbox: await inboxPage(appId, inboxStatus(url.searchParams.get("status")), page) };
};

export default function AdminInbox() {
  const { inbox } = useLoaderData<typeof loader>();
  useLiveUpdates("/app/live", inbox.cursor);
  return (
    <Page title="Inbox" subtitle="Messages from your storefront's chat">
      <InboxList data={inbox} basePath="/app/inbox" />
    </Page>
  );
}
