import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { InboxList, useLiveUpdates } from "../components/Inbox";
import { requireConsoleApp } from "../console/auth.server";
import { loadInbox } from "../http/inbox.server";

export const meta: MetaFunction = () => [{ title: "Inbox · Convot console" }];

// The app's conversations with its contacts (merchants writing from the admin widget).
export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { app } = await requireConsoleApp(request, params.appId);
  return { app, inbox: await loadInbox(app.id, request) };
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
