// The Message table: its row, and the SQL that reads and appends a conversation's messages.
import { sql } from "../db.server";
import { toDate, type Sql, type SqlValue } from "../db/sql.server";
import { nullableDate } from "./conversations.server";

export const MESSAGE_TYPES = ["incoming", "outgoing", "note", "activity"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The most messages one read returns unless told otherwise. */
export const MESSAGES_PER_READ = 200;

export type MessageRow = {
  id: number;
  conversationId: string;
  type: MessageType;
  content: string;
  operatorId: number | null;
  authorName: string | null;
  createdAt: Date;
};

const MESSAGE_SELECT = `SELECT "id", "conversationId", "type", "content", "operatorId", "authorName", "createdAt" FROM "Message"`;

function toMessage(row: Record<string, unknown>): MessageRow {
  return {
    id: Number(row.id),
    conversationId: String(row.conversationId),
    type: row.type as MessageType,
    content: String(row.content),
    operatorId: row.operatorId === null ? null : Number(row.operatorId),
    authorName: (row.authorName as string | null) ?? null,
    createdAt: toDate(row.createdAt),
  };
}

/** Messages of a conversation, oldest first: after `after` (new ones) or the latest page. */
export async function listMessages(
  conversationId: string,
  options: { after?: number; types?: readonly MessageType[]; limit?: number; offset?: number } = {},
  db: Sql = sql,
): Promise<MessageRow[]> {
  const limit = options.limit ?? MESSAGES_PER_READ;
  const where = [`"conversationId" = ?`];
  const params: SqlValue[] = [conversationId];
  if (options.types) {
    where.push(`"type" IN (${options.types.map(() => "?").join(", ")})`);
    params.push(...options.types);
  }
  if (options.after) {
    where.push(`"id" > ?`);
    params.push(options.after);
    const rows = await db.all(`${MESSAGE_SELECT} WHERE ${where.join(" AND ")} ORDER BY "id" LIMIT ?`, [...params, limit]);
    return rows.map(toMessage);
  }
  const rows = await db.all(`${MESSAGE_SELECT} WHERE ${where.join(" AND ")} ORDER BY "id" DESC LIMIT ? OFFSET ?`, [
    ...params,
    limit,
    options.offset ?? 0,
  ]);
  return rows.map(toMessage).reverse();
}

/** The newest message id of the app: the cursor a team inbox waits on. */
export async function latestMessageId(appId: number, db: Sql = sql): Promise<number> {
  const row = await db.one<{ id: number | null }>(`SELECT MAX("id") AS "id" FROM "Message" WHERE "appId" = ?`, [appId]);
  return Number(row?.id ?? 0);
}

/** The team's replies after `afterId`: the widget's unread badge. */
export async function countRepliesAfter(conversationId: string, afterId: number, db: Sql = sql): Promise<number> {
  const row = await db.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Message" WHERE "conversationId" = ? AND "type" = 'outgoing' AND "id" > ?`, [
    conversationId,
    afterId,
  ]);
  return Number(row?.n ?? 0);
}

/**
 * When the team last answered the contact: an outgoing message after the contact's first
 * incoming one. A team-started conversation the contact never wrote in has no reply, even
 * though its opening message set `lastReplyAt`.
 */
export async function findLastReplyAt(db: Sql, conversationId: string): Promise<Date | null> {
  const row = await db.one<{ at: unknown }>(
    `SELECT MAX(m."createdAt") AS "at" FROM "Message" m
      WHERE m."conversationId" = ? AND m."type" = 'outgoing'
        AND m."id" > (SELECT MIN(i."id") FROM "Message" i WHERE i."conversationId" = ? AND i."type" = 'incoming')`,
    [conversationId, conversationId],
  );
  return nullableDate(row?.at ?? null);
}

export type NewMessage = { type: MessageType; content: string; authorName: string | null; operatorId?: number | null; at: Date };

export async function insertMessage(db: Sql, conversation: { id: string; appId: number }, input: NewMessage): Promise<MessageRow> {
  const row = await db.one<{ id: number }>(
    `INSERT INTO "Message" ("appId", "conversationId", "type", "content", "operatorId", "authorName", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
    [conversation.appId, conversation.id, input.type, input.content, input.operatorId ?? null, input.authorName, input.at],
  );
  return {
    id: Number(row!.id),
    conversationId: conversation.id,
    type: input.type,
    content: input.content,
    operatorId: input.operatorId ?? null,
    authorName: input.authorName,
    createdAt: input.at,
  };
}
