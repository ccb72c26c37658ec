import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { eraseContactFromApp, findContactInApp } from "../contacts/contacts-in-app.server";
import { notFound } from "../errors";
import { apiRoute, json, methodNotAllowed, parseId, requireApiKey } from "../http/api.server";
import { contactJson } from "../http/views";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "contacts:read");
    const contact = await findContactInApp(app.id, parseId(params.id));
    if (!contact) throw notFound("contact");
    return json(contactJson(contact));
  });

// DELETE erases what this app holds on the contact.
export const action = ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") return methodNotAllowed(["GET", "DELETE"]);
  return apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "contacts:write");
    if (!(await eraseContactFromApp(app.id, parseId(params.id)))) throw notFound("contact");
    return new Response(null, { status: 204 });
  });
};
