import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { InboxList, useLiveUpdates } from "../components/Inbox";
import { requireConsoleApp } from "../console/auth.server";
import { inboxPage, inboxStatus } from "../conversations/inbox.server";

// The app's conversations with its contacts (merchants writing from the admin widget).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  const url = new URL(request.url);
  const page = Math.max(1, Math.min(10_000, Number.parseInt(url.searchParams.get("page") ?? "1", 10) || 1));
  return { app, inbox: await inboxPage(app.id, inboxStatus(url.searchParams.get("status")), page) };
};

export default function ConsoleInbox() {
  const { app, inbox } = useLoaderData<typeof loader>();
  useLiveUpdates(`/console/apps/${app.id}/live`, inbox.cursor);
  return (
    <Page title="Inbox" subtitle={app.name} backAction={{ content: "Merchants", url: `/console/apps/${app.id}` }}>
      <InboxList data={inbox} basePath={`/console/apps/${app.id}/inbox`} />
    </Page>
  );
}
