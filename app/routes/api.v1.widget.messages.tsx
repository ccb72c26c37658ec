import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { MAX_DATABASE_ID } from "../contacts/validation";
import { bodyObject } from "../contacts/identify.server";
import { postVisitorMessage } from "../conversations/visitor-actions.server";
import { waitForWidgetState } from "../conversations/long-polls.server";
import { apiRoute, json, methodNotAllowed, readJson } from "../http/api.server";
import { requireWholeNumbers } from "../http/query-numbers";
import { requireVisitor } from "../http/widget.server";
import { widgetConversationJson, widgetMessageJson } from "../http/views";
import { holdLongPoll } from "../ops/drain.server";

const MAX_WAIT_SECONDS = 25;

// GET ?after=<message id>&wait=<seconds>: the visitor's new messages; with wait, held open
// until one arrives (long-polling, docs/decisions/006), or until this instance starts draining.
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app, visitor } = await requireVisitor(request, "read");
    const { after, wait } = requireWholeNumbers(new URL(request.url), {
      after: { min: 0, max: MAX_DATABASE_ID, fallback: 0 },
      wait: { min: 0, max: MAX_WAIT_SECONDS, fallback: 0 },
    });
    const state = await holdLongPoll(request.signal, "widget", (signal) => waitForWidgetState(app, visitor, after, wait * 1000, signal));
    return json({
      conversation: state.conversation ? widgetConversationJson(state.conversation) : null,
      messages: state.messages.map((m) => widgetMessageJson(m, app.name)),
      unread: state.unread,
    });
  });

// POST {content, session_data?}: the visitor writes; starts or continues their conversation.
export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return apiRoute(request, async () => {
    const { app, visitor } = await requireVisitor(request, "write");
    const message = await postVisitorMessage(app, visitor, bodyObject(await readJson(request)));
    return json({ conversation_id: message.conversationId, message: widgetMessageJson(message, app.name) }, 201);
  });
};
