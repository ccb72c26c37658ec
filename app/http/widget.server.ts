// The widget's credentials: the app's public key (`app_id`, on the public calls), the page it runs
// on (`host`, for a session) and, on its conversation endpoints, `Authorization: Bearer <visitor
// token>`; each within the client's and the app's rate limits.
import { findAppByPublicKey, type ConvotApp } from "../apps/apps.server";
import { ConvotError, invalid, notFound } from "../errors";
import { bodyObject } from "../contacts/identify.server";
import { claimedApp } from "../apps/signed-token";
import { readVisitorToken, type Visitor } from "../conversations/visitor-token";
import { isWidgetHost, parseHostOrigin } from "../widget/hosts.server";
import { readJson } from "./api.server";
import { limitApp, limitClient, type PolicyName } from "./rate-limit.server";

/**
 * The opening of a public call (a widget session, identify): its JSON body, and the app its
 * `app_id` names, within the client's and then the app's rate limits; 404 when no app has that key.
 */
export async function openPublicCall(request: Request, policy: PolicyName): Promise<{ app: ConvotApp; body: Record<string, unknown> }> {
  const body = bodyObject(await readJson(request));
  await limitClient(request, policy);
  // findAppByPublicKey looks up only a well-formed key: whatever else a caller sends names no app.
  const app = typeof body.app_id === "string" ? await findAppByPublicKey(body.app_id) : null;
  if (!app) throw notFound("app");
  await limitApp(app.publicKey, policy);
  return { app, body };
}

/** The page origin a widget session is for: 422 when it is no origin, 403 when it is not one of the app's. */
export async function requireWidgetHost(app: ConvotApp, value: unknown): Promise<string> {
  const host = parseHostOrigin(value);
  if (!host) throw invalid([{ field: "host", message: "must be the page's origin, as location.origin gives it (https://shop.example)" }]);
  if (!(await isWidgetHost(app, host))) {
    throw new ConvotError("forbidden", `host ${host} is not a site of this app: the widget runs only on the app's own pages and its shop's domains`);
  }
  return host;
}

const unauthorized = () =>
  new ConvotError("unauthorized", "the visitor token is missing, expired or forged: start a widget session (POST /api/v1/widget/session)");

/** The app and visitor a request's token names, within the client's and the app's rate limits. */
export async function requireVisitor(request: Request, policy: PolicyName): Promise<{ app: ConvotApp; visitor: Visitor }> {
  await limitClient(request, policy);
  const match = /^Bearer\s+(\S+)$/i.exec(request.headers.get("authorization") ?? "");
  if (!match) throw unauthorized();
  // The claims name the app; the app's secret then decides whether to believe them.
  const appKey = claimedApp(match[1]);
  if (!appKey) throw unauthorized();
  const app = await findAppByPublicKey(appKey);
  const visitor = app ? readVisitorToken(app, match[1]) : null;
  if (!app || !visitor) throw unauthorized();
  // Only a genuine token of the app spends the app's allowance.
  await limitApp(app.publicKey, policy);
  return { app, visitor };
}
