import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { identify } from "../contacts/identify.server";
import { signIdentityToken } from "../contacts/identity-token";
import { claimVisitorConversations } from "../conversations/visitor-actions.server";
import { readVisitorToken, signVisitorToken } from "../conversations/visitor-token";
import { apiRoute, json, methodNotAllowed } from "../http/api.server";
import { openPublicCall } from "../http/widget.server";
import { protectedKeysFor } from "../shopify/merchant-contact.server";

// The widget's identify call: public (no API key), CORS-open, trusted only through user_hash.
const CORS = {
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Methods": "POST, OPTIONS",
  "Access-Control-Allow-Headers": "Content-Type",
  "Access-Control-Max-Age": "86400",
};

// Remix sends OPTIONS (the CORS preflight) to the loader.
export const loader = ({ request }: LoaderFunctionArgs) =>
  request.method === "OPTIONS" ? new Response(null, { status: 204, headers: CORS }) : methodNotAllowed(["POST"]);

export const action = async ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  const response = await apiRoute(request, async () => {
    const { app, body: call } = await openPublicCall(request, "read");
    const { visitor_token: visitorToken, ...body } = call;
    const result = await identify(app, body, { protectedKeys: protectedKeysFor(app) });
    // The widget's visitor, proven to be this contact: their anonymous conversation follows them.
    const visitor = result.verified ? readVisitorToken(app, visitorToken) : null;
    if (visitor) await claimVisitorConversations(app, visitor.visitorId, result.contactId);
    return json({
      contact_id: result.contactId,
      verified: result.verified,
      shop_verified: result.shopVerified,
      // Only a verified identity may be carried to the help center.
      ...(result.verified ? { identity_token: signIdentityToken(app, result.contactId) } : {}),
      ...(visitor ? { visitor_token: signVisitorToken(app, { ...visitor, contactId: result.contactId }) } : {}),
    });
  });
  for (const [name, value] of Object.entries(CORS)) response.headers.set(name, value);
  return response;
};
