import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { ConversationView, useLiveUpdates } from "../components/Inbox";
import { requireConsoleApp, requireCsrf } from "../console/auth.server";
import { ConvotError } from "../convot/errors";
import { applyInboxIntent, conversationPage } from "../conversations/inbox.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app, session } = await requireConsoleApp(request, params.appId);
  const conversation = await conversationPage(app.id, params.conversationId ?? "").catch((error) => {
    if (error instanceof ConvotError) throw new Response("Not found", { status: 404 });
    throw error;
  });
  return { app, csrf: session.csrfToken, ...conversation };
};

// Reply, internal note, resolve, reopen — as the signed-in operator.
export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { app, session, operator } = await requireConsoleApp(request, params.appId);
  const form = await request.formData();
  await requireCsrf(request, form, session);
  try {
    await applyInboxIntent(app.id, params.conversationId ?? "", { intent: form.get("intent"), content: form.get("content") }, { operatorId: operator.id, name: operator.email });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ConvotError)) throw error;
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    return new Response(JSON.stringify({ error: error.message }), { status: 422, headers: { "Content-Type": "application/json" } });
  }
};

export default function ConsoleConversation() {
  const { app, csrf, ...data } = useLoaderData<typeof loader>();
  useLiveUpdates(`/console/apps/${app.id}/live`, data.cursor);
  return (
    <Page title={data.who} backAction={{ content: "Inbox", url: `/console/apps/${app.id}/inbox` }}>
      <ConversationView data={data} hiddenFields={{ csrf }} contactHref={data.contact ? `/console/apps/${app.id}/merchants/${data.contact.id}` : null} />
    </Page>
  );
}
