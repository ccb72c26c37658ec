import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { findAppByPublicKey } from "../convot/apps.server";
import { notFound } from "../convot/errors";
import { bodyObject } from "../convot/identify.server";
import { widgetState } from "../conversations/conversations.server";
import { newVisitor, readVisitorToken, signVisitorToken } from "../conversations/visitor-token";
import { apiRoute, json, methodNotAllowed, readJson } from "../http/api.server";
import { limitApp, limitClient } from "../http/rate-limit.server";
import { requireWidgetHost } from "../http/widget.server";
import { widgetConversationJson, widgetMessageJson } from "../http/views";

// The widget panel opens on a page of `host`: renews (or issues) the visitor's token for that
// host and returns their conversation. A token issued for another host starts a new visitor.
export const loader = (_: LoaderFunctionArgs) => methodNotAllowed(["POST"]);

export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return apiRoute(request, async () => {
    const body = bodyObject(await readJson(request));
    const appKey = typeof body.app_id === "string" ? body.app_id.slice(0, 100) : "";
    await limitClient(request, "read");
    const app = appKey ? await findAppByPublicKey(appKey) : null;
    if (!app) throw notFound("app");
    await limitApp(app.publicKey, "read");
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
