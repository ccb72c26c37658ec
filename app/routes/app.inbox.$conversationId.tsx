import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { ConversationView, useLiveUpdates } from "../components/Inbox";
import { ConvotError } from "../convot/errors";
import { applyInboxIntent, conversationPage } from "../conversations/inbox.server";
import { authenticate } from "../shopify.server";
import { storefrontInbox } from "../shopify/storefront-inbox.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId } = await storefrontInbox(session.shop);
  return conversationPage(appId, params.conversationId ?? "").catch((error) => {
    if (error instanceof ConvotError) throw new Response("Not found", { status: 404 });
    throw error;
  });
};

// Reply, internal note, resolve, reopen — as the shop.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const { appId, author } = await storefrontInbox(session.shop);
  const form = await request.formData();
  try {
    await applyInboxIntent(appId, params.conversationId ?? "", { intent: form.get("intent"), content: form.get("content") }, author);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ConvotError)) throw error;
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    return new Response(JSON.stringify({ error: error.message }), { status: 422, headers: { "Content-Type": "application/json" } });
  }
};

export default function AdminConversation() {
  const data = useLoaderData<typeof loader>();
  useLiveUpdates("/app/live", data.cursor);
  return (
    <Page title={data.who} backAction={{ content: "Inbox", url: "/app/inbox" }}>
      <ConversationView data={data} />
    </Page>
  );
}
