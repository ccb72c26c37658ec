import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { listContactsInApp } from "../contacts/contacts-in-app.server";
import { bodyObject, findOrCreateContact } from "../contacts/identify.server";
import { apiRoute, json, methodNotAllowed, parsePage, readJson, requireApiKey } from "../http/api.server";
import { contactJson, pageMeta, writtenContactJson } from "../http/views";
import { parseContactFilters } from "../http/filters";

// GET: the app's contacts, filtered (external_id, email, custom_data.<key>=<value>), paginated.
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "contacts:read");
    const url = new URL(request.url);
    const page = parsePage(url);
    const { contacts, hasMore } = await listContactsInApp(app.id, parseContactFilters(url), page);
    return json({ contacts: contacts.map(contactJson), meta: pageMeta(page, hasMore) });
  });

// POST: find-or-create by external_id or email (trusted like a verified identify).
export const action = ({ request }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return apiRoute(request, async () => {
    const { app, scopes } = await requireApiKey(request, "contacts:write");
    const { contact, created } = await findOrCreateContact(app, bodyObject(await readJson(request)));
    return json(writtenContactJson(contact, scopes), created ? 201 : 200);
  });
};
