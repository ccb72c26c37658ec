// Recording and reading a contact's events through the API: validation, then one append.
import type { ConvotApp } from "../apps/apps.server";
import { findAppContact } from "./app-contacts.server";
import { invalid, notFound, type ErrorDetail } from "../errors";
import { appendEventToContact, IDEMPOTENCY_KEY_MAX, listEvents, type EventRow } from "./events.server";
import { sql } from "../db.server";
import { checkEventName, checkEventProperties, checkTimestamp, checkUnknownFields } from "./validation";

export async function recordContactEvent(
  app: ConvotApp,
  contactId: number,
  body: Record<string, unknown>,
  idempotencyKey: string | null,
): Promise<{ event: EventRow; created: boolean }> {
  const problems: ErrorDetail[] = [];
  checkUnknownFields(body, ["name", "occurred_at", "properties"], problems);
  const name = checkEventName(body.name, problems);
  const occurredAt = checkTimestamp("occurred_at", body.occurred_at, problems, new Date());
  const properties = checkEventProperties(body.properties, problems);
  if (
    (idempotencyKey !== null && !/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/.test(idempotencyKey)) ||
    (idempotencyKey?.length ?? 0) > IDEMPOTENCY_KEY_MAX
  ) {
    problems.push({ field: "Idempotency-Key", message: `header must be 1–${IDEMPOTENCY_KEY_MAX} printable ASCII characters` });
  }
  if (problems.length) throw invalid(problems);

  // Clients' keys live in a namespace of their own, apart from the app's internal ones.
  const key = idempotencyKey === null ? null : `api:${idempotencyKey}`;
  const result = await appendEventToContact(sql, { appId: app.id, contactId, name, occurredAt, properties, idempotencyKey: key });
  if (!result.created && result.event.contactId !== contactId) {
    throw invalid([{ field: "Idempotency-Key", message: "was already used for an event of another contact" }]);
  }
  return result;
}

export async function contactTimeline(app: ConvotApp, contactId: number, page: { page: number; perPage: number }) {
  const appContact = await findAppContact(sql, app.id, contactId);
  if (!appContact) throw notFound("contact");
  return listEvents(app.id, appContact.id, page);
}
