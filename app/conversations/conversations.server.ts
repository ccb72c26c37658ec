// The Conversation table: its row, and the SQL that reads and moves one app's conversations.
// Every query names the app; a conversation of another app is "not found".
import { randomUUID } from "node:crypto";
import { sql } from "../db.server";
import { toDate, type Sql, type SqlValue } from "../db/sql.server";
import type { CustomValue } from "../contacts/validation";
import { notFound } from "../errors";

export type ConversationStatus = "open" | "resolved";

export type ConversationRow = {
  id: string;
  appId: number;
  appContactId: number | null;
  contactId: number | null;
  visitorId: string | null;
  status: ConversationStatus;
  sessionData: Record<string, CustomValue>;
  lastActivityAt: Date;
  lastReplyAt: Date | null;
  visitorReadId: number;
  teamReadId: number;
  resolvedAt: Date | null;
  createdAt: Date;
};

/** The conversation's columns, its contact's id beside them (aliases: cv, ac). */
export const CONVERSATION_COLUMNS = `cv."id", cv."appId", cv."appContactId", ac."contactId", cv."visitorId", cv."status", cv."sessionData",
  cv."lastActivityAt", cv."lastReplyAt", cv."visitorReadId", cv."teamReadId", cv."resolvedAt", cv."createdAt"`;

const CONVERSATION_SELECT = `SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" cv LEFT JOIN "AppContact" ac ON ac."id" = cv."appContactId"`;

export const nullableDate = (value: unknown) => (value === null || value === undefined ? null : toDate(value));

/** A row read with CONVERSATION_COLUMNS (other columns beside them are ignored). */
export function toConversation(row: Record<string, unknown>): ConversationRow {
  return {
    id: String(row.id),
    appId: Number(row.appId),
    appContactId: row.appContactId === null ? null : Number(row.appContactId),
    contactId: row.contactId === null || row.contactId === undefined ? null : Number(row.contactId),
    visitorId: (row.visitorId as string | null) ?? null,
    status: row.status === "resolved" ? "resolved" : "open",
    sessionData: JSON.parse(String(row.sessionData ?? "{}")),
    lastActivityAt: toDate(row.lastActivityAt),
    lastReplyAt: nullableDate(row.lastReplyAt),
    visitorReadId: Number(row.visitorReadId),
    teamReadId: Number(row.teamReadId),
    resolvedAt: nullableDate(row.resolvedAt),
    createdAt: toDate(row.createdAt),
  };
}

export async function findConversation(appId: number, id: string, db: Sql = sql): Promise<ConversationRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const row = await db.one(`${CONVERSATION_SELECT} WHERE cv."id" = ? AND cv."appId" = ?`, [id.toLowerCase(), appId]);
  return row ? toConversation(row) : null;
}

export async function requireConversation(appId: number, id: string, db: Sql = sql): Promise<ConversationRow> {
  const conversation = await findConversation(appId, id, db);
  if (!conversation) throw notFound("conversation");
  return conversation;
}

/** The contact's conversation with the latest activity. */
export async function findLatestConversationOfContact(db: Sql, appId: number, appContactId: number): Promise<ConversationRow | null> {
  const row = await db.one(`${CONVERSATION_SELECT} WHERE cv."appContactId" = ? AND cv."appId" = ? ORDER BY cv."lastActivityAt" DESC LIMIT 1`, [
    appContactId,
    appId,
  ]);
  return row ? toConversation(row) : null;
}

/** The anonymous visitor's conversation with the latest activity (one a contact has claimed is no longer theirs). */
export async function findLatestConversationOfVisitor(db: Sql, appId: number, visitorId: string): Promise<ConversationRow | null> {
  const row = await db.one(
    `${CONVERSATION_SELECT} WHERE cv."appId" = ? AND cv."visitorId" = ? AND cv."appContactId" IS NULL ORDER BY cv."lastActivityAt" DESC LIMIT 1`,
    [appId, visitorId],
  );
  return row ? toConversation(row) : null;
}

export async function insertConversation(
  db: Sql,
  input: { appId: number; appContactId: number | null; visitorId: string | null; sessionData: Record<string, CustomValue> },
): Promise<ConversationRow> {
  const id = randomUUID();
  const now = new Date();
  await db.run(
    `INSERT INTO "Conversation" ("id", "appId", "appContactId", "visitorId", "status", "sessionData", "lastActivityAt", "createdAt")
     VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
    [id, input.appId, input.appContactId, input.visitorId, JSON.stringify(input.sessionData), now, now],
  );
  return (await findConversation(input.appId, id, db))!;
}

/**
 * What a new message does to its conversation: any message but a note is the latest activity
 * and reopens it; a reply (outgoing) is also the team's last reply and read mark.
 */
export async function moveConversationForMessage(
  db: Sql,
  conversation: ConversationRow,
  message: { id: number; type: string; at: Date; sessionData?: Record<string, CustomValue> },
): Promise<void> {
  const sets: string[] = [];
  const params: SqlValue[] = [];
  if (message.type !== "note") {
    sets.push(`"lastActivityAt" = ?`);
    params.push(message.at);
  }
  if (message.type === "outgoing") {
    sets.push(`"lastReplyAt" = ?`, `"teamReadId" = ?`);
    params.push(message.at, message.id);
  }
  if (message.type !== "note") sets.push(`"status" = 'open'`, `"resolvedAt" = NULL`);
  if (message.sessionData) {
    sets.push(`"sessionData" = ?`);
    params.push(JSON.stringify(message.sessionData));
  }
  if (sets.length)
    await db.run(`UPDATE "Conversation" SET ${sets.join(", ")} WHERE "id" = ? AND "appId" = ?`, [...params, conversation.id, conversation.appId]);
}

export async function updateConversationStatus(appId: number, conversationId: string, status: ConversationStatus, db: Sql = sql): Promise<void> {
  await db.run(`UPDATE "Conversation" SET "status" = ?, "resolvedAt" = ? WHERE "id" = ? AND "appId" = ?`, [
    status,
    status === "resolved" ? new Date() : null,
    conversationId,
    appId,
  ]);
}

/** The visitor has seen the conversation up to `messageId` (a read mark never moves back). */
export async function advanceVisitorRead(appId: number, conversationId: string, messageId: number, db: Sql = sql): Promise<void> {
  await db.run(`UPDATE "Conversation" SET "visitorReadId" = ? WHERE "id" = ? AND "appId" = ? AND "visitorReadId" < ?`, [
    messageId,
    conversationId,
    appId,
    messageId,
  ]);
}

/** The team has seen the conversation up to `messageId` (a read mark never moves back). */
export async function advanceTeamRead(appId: number, conversationId: string, messageId: number, db: Sql = sql): Promise<void> {
  await db.run(`UPDATE "Conversation" SET "teamReadId" = ? WHERE "id" = ? AND "appId" = ? AND "teamReadId" < ?`, [
    messageId,
    conversationId,
    appId,
    messageId,
  ]);
}

/** Gives the visitor's anonymous conversations to a contact; how many moved. */
export async function assignVisitorConversations(appId: number, visitorId: string, appContactId: number, db: Sql = sql): Promise<number> {
  const { changes } = await db.run(`UPDATE "Conversation" SET "appContactId" = ? WHERE "appId" = ? AND "visitorId" = ? AND "appContactId" IS NULL`, [
    appContactId,
    appId,
    visitorId,
  ]);
  return changes;
}
