import type { ActionFunctionArgs } from "@remix-run/node";
import { authenticateWebhook } from "../http/webhook.server";
import { updateSessionScopes } from "../shopify/sessions.server";

// app/scopes_update → the stored session carries the scopes the merchant granted.
export const action = async ({ request }: ActionFunctionArgs) => {
  const { payload, session } = await authenticateWebhook(request);
  const current = (payload as { current?: string[] }).current;
  if (session && Array.isArray(current)) await updateSessionScopes(session, current.join(","));
  return new Response(null, { status: 200 });
};
