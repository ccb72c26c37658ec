import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { ConversationView, useLiveUpdates } from "../components/Inbox";
import { loadConversation, submitInboxForm } from "../http/inbox.server";
import { authenticate } from "../shopify.server";
import { storefrontInbox } from "../shopify/storefront-inbox.server";

export const meta: MetaFunction = () => [{ title: "Conversation · Convot" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId } = await storefrontInbox(session.shop);
  return { ...(await loadConversation(appId, params.conversationId)), basePath: "/app/inbox", liveUrl: "/app/live" };
};

// Reply, internal note, resolve, reopen — as the shop.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId, author } = await storefrontInbox(session.shop);
  return submitInboxForm(appId, params.conversationId, await request.formData(), author);
};

/** Also the demo's stand-in (routes/demo.inbox.$conversationId.tsx). */
export default function MerchantConversation() {
  const { basePath, liveUrl, ...data } = useLoaderData<typeof loader>();
  useLiveUpdates(liveUrl, data.cursor);
  return (
    <Page title={data.who} backAction={{ content: "Inbox", url: basePath }}>
      <ConversationView data={data} />
    </Page>
  );
}
