// Contact events: timestamped things that happened to a contact in one app, newest first.
import { sql } from "../db.server";
import { isNotNullViolation, toDate, type Sql } from "../db/sql.server";
import { notFound } from "../errors";
import type { CustomValue } from "./validation";

export type EventRow = {
  id: number;
  appId: number;
  appContactId: number;
  contactId: number;
  name: string;
  occurredAt: Date;
  properties: Record<string, CustomValue | null>;
  createdAt: Date;
};

/** What every way of appending an event is told: where, what, and when it happened. */
type NewEvent = { appId: number; name: string; occurredAt: Date; properties: Record<string, CustomValue | null> };

const EVENT_SELECT = `SELECT e."id", e."appId", e."appContactId", ac."contactId", e."name", e."occurredAt", e."properties", e."createdAt"
  FROM "ContactEvent" e JOIN "AppContact" ac ON ac."id" = e."appContactId"`;

function toEvent(row: Record<string, unknown>): EventRow {
  return {
    id: Number(row.id),
    appId: Number(row.appId),
    appContactId: Number(row.appContactId),
    contactId: Number(row.contactId),
    name: String(row.name),
    occurredAt: toDate(row.occurredAt),
    properties: JSON.parse(String(row.properties)),
    createdAt: toDate(row.createdAt),
  };
}

/**
 * Appends an event. With an idempotency key already used in this app, nothing is written and
 * the first event comes back (`created: false`) — a unique constraint decides, not a lookup.
 */
export async function appendEvent(
  db: Sql,
  input: NewEvent & { appContactId: number; idempotencyKey?: string | null },
): Promise<{ event: EventRow; created: boolean }> {
  const inserted = await db.one<{ id: number }>(
    `INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "properties", "idempotencyKey", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT ("appId", "idempotencyKey") DO NOTHING RETURNING "id"`,
    [input.appId, input.appContactId, input.name, input.occurredAt, JSON.stringify(input.properties), input.idempotencyKey ?? null, new Date()],
  );
  // Either read can come back empty: the contact (and its events) erased since the insert.
  if (inserted) {
    const event = await db.one(`${EVENT_SELECT} WHERE e."id" = ?`, [inserted.id]);
    if (!event) throw notFound("contact");
    return { event: toEvent(event), created: true };
  }
  return firstEventWithKey(db, input.appId, input.idempotencyKey!);
}

/**
 * Appends an event to a contact, named by its id, in one statement: the contact's record in this
 * app is found inside the insert, so a post is one round trip. Not found in this app: 404. With
 * an idempotency key already used in this app, nothing is written and the first event comes
 * back (`created: false`; it may belong to another contact: the caller decides).
 */
export async function appendEventToContact(
  db: Sql,
  input: NewEvent & { contactId: number; idempotencyKey: string | null },
): Promise<{ event: EventRow; created: boolean }> {
  let inserted: Record<string, unknown> | undefined;
  try {
    inserted = await db.one(
      `INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "properties", "idempotencyKey", "createdAt")
       VALUES (?, (SELECT "id" FROM "AppContact" WHERE "appId" = ? AND "contactId" = ?), ?, ?, ?, ?, ?)
       ON CONFLICT ("appId", "idempotencyKey") DO NOTHING
       RETURNING "id", "appId", "appContactId", "name", "occurredAt", "properties", "createdAt"`,
      [input.appId, input.appId, input.contactId, input.name, input.occurredAt, JSON.stringify(input.properties), input.idempotencyKey, new Date()],
    );
  } catch (error) {
    // No record of this contact in this app: the subquery found no id.
    if (isNotNullViolation(error)) throw notFound("contact");
    throw error;
  }
  if (inserted) return { event: toEvent({ ...inserted, contactId: input.contactId }), created: true };
  return firstEventWithKey(db, input.appId, input.idempotencyKey!);
}

/** The event an idempotency key already names (the contact erased since: 404). */
async function firstEventWithKey(db: Sql, appId: number, idempotencyKey: string): Promise<{ event: EventRow; created: false }> {
  const first = await db.one(`${EVENT_SELECT} WHERE e."appId" = ? AND e."idempotencyKey" = ?`, [appId, idempotencyKey]);
  if (!first) throw notFound("contact");
  return { event: toEvent(first), created: false };
}

/** Inserts an event whose idempotency key is new (a unique violation otherwise): for writers that need nothing back. */
export async function insertEvent(db: Sql, input: NewEvent & { appContactId: number; idempotencyKey: string }): Promise<void> {
  await db.run(
    `INSERT INTO "ContactEvent" ("appId", "appContactId", "name", "occurredAt", "properties", "idempotencyKey", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [input.appId, input.appContactId, input.name, input.occurredAt, JSON.stringify(input.properties), input.idempotencyKey, new Date()],
  );
}

/** Rewrites the event with this idempotency key in place (it keeps its id and its time). */
export async function rewriteEventByKey(
  db: Sql,
  appId: number,
  idempotencyKey: string,
  change: { name: string; properties: Record<string, CustomValue | null> },
): Promise<void> {
  await db.run(`UPDATE "ContactEvent" SET "name" = ?, "properties" = ? WHERE "appId" = ? AND "idempotencyKey" = ?`, [
    change.name,
    JSON.stringify(change.properties),
    appId,
    idempotencyKey,
  ]);
}

export async function deleteEventByKey(db: Sql, appId: number, idempotencyKey: string): Promise<void> {
  await db.run(`DELETE FROM "ContactEvent" WHERE "appId" = ? AND "idempotencyKey" = ?`, [appId, idempotencyKey]);
}

/** One page of a contact's timeline in one app, newest first by occurred_at. */
export async function listEvents(
  appId: number,
  appContactId: number,
  page: { page: number; perPage: number },
  db: Sql = sql,
): Promise<{ events: EventRow[]; hasMore: boolean }> {
  const rows = await db.all(
    `${EVENT_SELECT} WHERE e."appContactId" = ? AND e."appId" = ? ORDER BY e."occurredAt" DESC, e."id" DESC LIMIT ? OFFSET ?`,
    [appContactId, appId, page.perPage + 1, (page.page - 1) * page.perPage],
  );
  return { events: rows.slice(0, page.perPage).map(toEvent), hasMore: rows.length > page.perPage };
}

export const IDEMPOTENCY_KEY_MAX = 255;
