import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { checkFormOrigin } from "../console/auth.server";
import { loadConversation, submitInboxForm } from "../http/inbox.server";
import { demoInbox } from "../shopify/demo-admin.server";

export { default, meta } from "./app.inbox.$conversationId";

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const { appId } = await demoInbox();
  return { ...(await loadConversation(appId, params.conversationId)), basePath: "/demo/inbox", liveUrl: "/demo/live" };
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { appId, author } = await demoInbox();
  checkFormOrigin(request);
  return submitInboxForm(appId, params.conversationId, await request.formData(), author);
};
