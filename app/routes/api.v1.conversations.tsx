import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodyObject } from "../contacts/identify.server";
import { parseConversationStatus } from "../conversations/conversation-input";
import { listConversations } from "../conversations/conversation-finder.server";
import { apiAuthor, startConversation } from "../conversations/team-actions.server";
import { apiRoute, json, methodNotAllowed, parseId, parsePage, readJson, requireApiKey, requireScope } from "../http/api.server";
import { conversationJson, messageJson, pageMeta } from "../http/views";

// GET ?status=open|resolved&contact_id=&page=&per_page=: the app's conversations, latest activity first.
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "conversations:read");
    const url = new URL(request.url);
    const page = parsePage(url);
    const rawStatus = url.searchParams.get("status");
    const status = rawStatus ? parseConversationStatus(rawStatus) : undefined;
    const contact = url.searchParams.get("contact_id");
    const { conversations, hasMore } = await listConversations(app.id, { status, contactId: contact === null ? undefined : parseId(contact) }, page);
    return json({ conversations: conversations.map(conversationJson), meta: pageMeta(page, hasMore) });
  });

// POST {contact_id, message?: {content, type?}, operator_id?, session_data?}: starts a conversation.
export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return apiRoute(request, async () => {
    const key = await requireApiKey(request, "conversations:write");
    const body = bodyObject(await readJson(request));
    // A first message is a message: the key must be allowed to write those too.
    if (body.message !== undefined) requireScope(key, "messages:write");
    const { app } = key;
    const { conversation, message } = await startConversation(app, body, await apiAuthor(app, body.operator_id));
    return json({ ...conversationJson(conversation), messages: message ? [messageJson(message)] : [] }, 201);
  });
};
