import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { ConversationView, useLiveUpdates } from "../components/Inbox";
import { requireConsoleApp, requireCsrf } from "../console/auth.server";
import { loadConversation, submitInboxForm } from "../http/inbox.server";

export const meta: MetaFunction = () => [{ title: "Conversation · Convot console" }];

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app, session } = await requireConsoleApp(request, params.appId);
  return { app, csrf: session.csrfToken, ...(await loadConversation(app.id, params.conversationId)) };
};

// Reply, internal note, resolve, reopen — as the signed-in operator.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { app, session, operator } = await requireConsoleApp(request, params.appId);
  const form = await request.formData();
  await requireCsrf(request, form, session);
  return submitInboxForm(app.id, params.conversationId, form, { operatorId: operator.id, name: operator.email });
};

export default function ConsoleConversation() {
  const { app, csrf, ...data } = useLoaderData<typeof loader>();
  useLiveUpdates(`/console/apps/${app.id}/live`, data.cursor);
  return (
    <Page title={data.who} backAction={{ content: "Inbox", url: `/console/apps/${app.id}/inbox` }}>
      <ConversationView
        data={data}
        hiddenFields={{ csrf }}
        contactHref={data.contact ? `/console/apps/${app.id}/merchants/${data.contact.id}` : null}
      />
    </Page>
  );
}
