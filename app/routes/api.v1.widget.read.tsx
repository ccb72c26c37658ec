import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { invalid } from "../errors";
import { isDatabaseId } from "../contacts/validation";
import { bodyObject } from "../contacts/identify.server";
import { markVisitorRead } from "../conversations/visitor-actions.server";
import { apiRoute, methodNotAllowed, readJson } from "../http/api.server";
import { requireVisitor } from "../http/widget.server";

// POST {message_id}: the visitor has seen the conversation up to this message (the badge clears).
export const loader = (_: LoaderFunctionArgs) => methodNotAllowed(["POST"]);

export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["POST"]);
  return apiRoute(request, async () => {
    const { app, visitor } = await requireVisitor(request, "read");
    const body = bodyObject(await readJson(request));
    if (!isDatabaseId(body.message_id)) {
      throw invalid([{ field: "message_id", message: "must be the id of a message (a positive whole number)" }]);
    }
    await markVisitorRead(app, visitor, body.message_id);
    return new Response(null, { status: 204 });
  });
};
