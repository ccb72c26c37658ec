// Finding an app's conversations for the team: one page of them, latest activity first, each
// with its contact, last message and unread flag; and one conversation with every message and
// its contact's context beside it.
import { sql } from "../db.server";
import { toDate, type SqlValue } from "../db/sql.server";
import { findContactInApp, type ContactInApp } from "../contacts/contacts-in-app.server";
import { listEvents, type EventRow } from "../contacts/events.server";
import { CONVERSATION_COLUMNS, requireConversation, toConversation, type ConversationRow, type ConversationStatus } from "./conversations.server";
import { listMessages, type MessageRow, type MessageType } from "./messages.server";

/** The most messages the team's view of one conversation shows. */
const DETAIL_MESSAGES = 500;
/** The contact's latest events shown beside a conversation. */
const DETAIL_EVENTS = 10;

export type InboxRow = ConversationRow & {
  contact: { id: number; name: string | null; email: string | null; externalId: string | null } | null;
  lastMessage: { type: MessageType; content: string; at: Date } | null;
  unread: boolean;
};

/** One page of the app's conversations, most recent activity first. Notes are not a "last message". */
export async function listConversations(
  appId: number,
  filters: { status?: ConversationStatus; contactId?: number },
  page: { page: number; perPage: number },
): Promise<{ conversations: InboxRow[]; hasMore: boolean }> {
  const where = [`cv."appId" = ?`];
  const params: SqlValue[] = [appId];
  if (filters.status) {
    where.push(`cv."status" = ?`);
    params.push(filters.status);
  }
  if (filters.contactId !== undefined) {
    where.push(`ac."contactId" = ?`);
    params.push(filters.contactId);
  }
  const rows = await sql.all(
    `SELECT ${CONVERSATION_COLUMNS},
       c."name" AS "contactName", c."email" AS "contactEmail", c."externalId" AS "contactExternalId",
       m."type" AS "lastType", m."content" AS "lastContent", m."createdAt" AS "lastAt",
       (SELECT MAX(i."id") FROM "Message" i WHERE i."conversationId" = cv."id" AND i."type" = 'incoming') AS "lastIncomingId"
     FROM "Conversation" cv
     LEFT JOIN "AppContact" ac ON ac."id" = cv."appContactId"
     LEFT JOIN "Contact" c ON c."id" = ac."contactId"
     LEFT JOIN "Message" m ON m."id" = (SELECT MAX(x."id") FROM "Message" x WHERE x."conversationId" = cv."id" AND x."type" <> 'note')
     WHERE ${where.join(" AND ")}
     ORDER BY cv."lastActivityAt" DESC, cv."id" DESC LIMIT ? OFFSET ?`,
    [...params, page.perPage + 1, (page.page - 1) * page.perPage],
  );
  const conversations = rows.slice(0, page.perPage).map((row) => {
    const conversation = toConversation(row);
    return {
      ...conversation,
      contact:
        conversation.contactId === null
          ? null
          : {
              id: conversation.contactId,
              name: (row.contactName as string | null) ?? null,
              email: (row.contactEmail as string | null) ?? null,
              externalId: (row.contactExternalId as string | null) ?? null,
            },
      lastMessage: row.lastType ? { type: row.lastType as MessageType, content: String(row.lastContent), at: toDate(row.lastAt) } : null,
      unread: Number(row.lastIncomingId ?? 0) > conversation.teamReadId,
    };
  });
  return { conversations, hasMore: rows.length > page.perPage };
}

export type ConversationDetail = { conversation: ConversationRow; messages: MessageRow[]; contact: ContactInApp | null; events: EventRow[] };

/** A conversation as the team sees it: every message, and the contact's context beside it. */
export async function conversationDetail(appId: number, conversationId: string): Promise<ConversationDetail> {
  const conversation = await requireConversation(appId, conversationId);
  const messages = await listMessages(conversation.id, { limit: DETAIL_MESSAGES });
  let contact: ContactInApp | null = null;
  let events: EventRow[] = [];
  if (conversation.contactId !== null) {
    contact = await findContactInApp(appId, conversation.contactId);
    if (contact) events = (await listEvents(appId, contact.appContact.id, { page: 1, perPage: DETAIL_EVENTS })).events;
  }
  return { conversation, messages, contact, events };
}
