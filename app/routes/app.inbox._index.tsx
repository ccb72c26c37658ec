import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { InboxList, useLiveUpdates } from "../components/Inbox";
import { loadInbox } from "../http/inbox.server";
import { authenticate } from "../shopify.server";
import { storefrontInbox } from "../shopify/storefront-inbox.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Convot" }];

// Shoppers' messages from the storefront widget.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId } = await storefrontInbox(session.shop);
  return { inbox: await loadInbox(appId, request), basePath: "/app/inbox", liveUrl: "/app/live" };
};

/** Also the demo's stand-in (routes/demo.inbox._index.tsx): the paths come with the data. */
export default function MerchantInbox() {
  const { inbox, basePath, liveUrl } = useLoaderData<typeof loader>();
  useLiveUpdates(liveUrl, inbox.cursor);
  return (
    <Page title="Inbox" subtitle="Messages from your storefront's chat">
      <InboxList data={inbox} basePath={basePath} />
    </Page>
  );
}
