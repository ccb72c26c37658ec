import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodyObject } from "../contacts/identify.server";
import { requireConversation } from "../conversations/conversations.server";
import { listMessages } from "../conversations/messages.server";
import { apiAuthor, postTeamMessage } from "../conversations/team-actions.server";
import { apiRoute, json, methodNotAllowed, parsePage, readJson, requireApiKey } from "../http/api.server";
import { messageJson, pageMeta } from "../http/views";

// GET ?page=&per_page=: the conversation's messages, page 1 the newest, each page oldest first.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "messages:read");
    const page = parsePage(new URL(request.url));
    const conversation = await requireConversation(app.id, params.id ?? "");
    const rows = await listMessages(conversation.id, { limit: page.perPage + 1, offset: (page.page - 1) * page.perPage });
    // One extra row was read to know whether an older page exists; it is the oldest.
    const hasMore = rows.length > page.perPage;
    return json({ messages: (hasMore ? rows.slice(1) : rows).map(messageJson), meta: pageMeta(page, hasMore) });
  });

// POST {content, type?: outgoing|note|incoming, operator_id?}: a message in the conversation.
export const action = ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "messages:write");
    const body = bodyObject(await readJson(request));
    const author = await apiAuthor(app, body.operator_id);
    const message = await postTeamMessage(app.id, params.id ?? "", { type: body.type, content: body.content }, author);
    return json(messageJson(message), 201);
  });
};
