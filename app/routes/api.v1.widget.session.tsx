import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { widgetState } from "../conversations/visitor-actions.server";
import { newVisitor, readVisitorToken, signVisitorToken } from "../conversations/visitor-token";
import { apiRoute, json, methodNotAllowed } from "../http/api.server";
import { openPublicCall, requireWidgetHost } from "../http/widget.server";
import { widgetConversationJson, widgetMessageJson } from "../http/views";

// The widget panel opens on a page of `host`: renews (or issues) the visitor's token for that
// host and returns their conversation. A token issued for another host starts a new visitor.
export const loader = (_: LoaderFunctionArgs) => methodNotAllowed(["POST"]);

export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return apiRoute(request, async () => {
    const { app, body } = await openPublicCall(request, "read");
    const host = await requireWidgetHost(app, body.host);
    const visitor = readVisitorToken(app, body.visitor_token, { host }) ?? newVisitor(host);
    const state = await widgetState(app, visitor);
    return json({
      // An anonymous token is renewed; an identified one keeps its expiry (identify renews it).
      visitor_token: visitor.contactId === null ? signVisitorToken(app, visitor) : body.visitor_token,
      identified: visitor.contactId !== null,
      conversation: state.conversation ? widgetConversationJson(state.conversation) : null,
      messages: state.messages.map((m) => widgetMessageJson(m, app.name)),
      unread: state.unread,
    });
  });
};
