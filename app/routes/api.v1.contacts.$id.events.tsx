import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { bodyObject } from "../contacts/identify.server";
import { contactTimeline, recordContactEvent } from "../contacts/event-actions.server";
import { apiRoute, json, methodNotAllowed, parseId, parsePage, readJson, requireApiKey } from "../http/api.server";
import { eventJson, pageMeta } from "../http/views";

// GET: the contact's timeline in this app, newest first.
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "contacts:read");
    const page = parsePage(new URL(request.url));
    const { events, hasMore } = await contactTimeline(app, parseId(params.id), page);
    return json({ events: events.map(eventJson), meta: pageMeta(page, hasMore) });
  });

// POST: record an event; a repeated Idempotency-Key returns the first event (200).
export const action = ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") return methodNotAllowed(["GET", "POST"]);
  return apiRoute(request, async () => {
    const { app } = await requireApiKey(request, "contacts:write");
    const body = bodyObject(await readJson(request));
    const { event, created } = await recordContactEvent(app, parseId(params.id), body, request.headers.get("idempotency-key"));
    return json(eventJson(event), created ? 201 : 200);
  });
};
