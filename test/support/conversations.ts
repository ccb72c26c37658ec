// The widget's and the team's sides of a conversation, over HTTP.
import { api, type TestApp } from "./convot";

/** The page the widget runs on: the app's own origin unless a test names a storefront's. */
export const APP_ORIGIN = new URL(process.env.SHOPIFY_APP_URL!).origin;

export const widgetSession = (app: Pick<TestApp, "publicKey">, visitorToken?: string | null, options: { host?: string } = {}) =>
  api("/api/v1/widget/session", {
    body: { app_id: app.publicKey, host: options.host ?? APP_ORIGIN, ...(visitorToken ? { visitor_token: visitorToken } : {}) },
  });

export const widgetPost = (visitorToken: string, body: unknown, headers: Record<string, string> = {}) =>
  api("/api/v1/widget/messages", { token: visitorToken, body, headers });

export const widgetPoll = (visitorToken: string, after: number, wait = 0) =>
  api(`/api/v1/widget/messages?after=${after}&wait=${wait}`, { token: visitorToken });

/** A reply (or note) through the conversations API, as the app's developer would post it. */
export const teamReply = (app: TestApp, conversationId: string, body: Record<string, unknown>) =>
  api(`/api/v1/conversations/${conversationId}/messages`, { token: app.token, body });
