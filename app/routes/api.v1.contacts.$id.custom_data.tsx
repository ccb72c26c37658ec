import type { ActionFunctionArgs } from "@remix-run/node";
import { bodyObject, writeCustomData } from "../contacts/identify.server";
import { apiRoute, json, methodNotAllowed, parseId, readJson, requireApiKey } from "../http/api.server";
import { writtenContactJson } from "../http/views";

export const loader = () => methodNotAllowed(["PATCH", "PUT"]);

// PATCH merges ({"custom_data": {...}}, null deletes a key); PUT replaces the whole object.
export const action = ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "PATCH" && request.method !== "PUT") return methodNotAllowed(["PATCH", "PUT"]);
  return apiRoute(request, async () => {
    const { app, scopes } = await requireApiKey(request, "contacts:write");
    const mode = request.method === "PATCH" ? "merge" : "replace";
    const contact = await writeCustomData(app, parseId(params.id), bodyObject(await readJson(request)), mode);
    return json(writtenContactJson(contact, scopes));
  });
};
