// Writing a message into a conversation, and what that does to the conversation (activity,
// reopening, the team's read mark). Every writer — visitor, team, churn note — goes through here.
import type { Sql } from "../db/sql.server";
import type { CustomValue } from "../contacts/validation";
import { moveConversationForMessage, type ConversationRow } from "./conversations.server";
import { insertMessage, type MessageRow, type MessageType } from "./messages.server";

/**
 * Appends a message and moves the conversation: any message but a note makes it the latest
 * activity; incoming and outgoing messages reopen a resolved conversation. `db` is the
 * caller's transaction.
 */
export async function appendMessage(
  db: Sql,
  conversation: ConversationRow,
  input: {
    type: MessageType;
    content: string;
    authorName: string | null;
    operatorId?: number | null;
    at?: Date;
    sessionData?: Record<string, CustomValue>;
  },
): Promise<MessageRow> {
  const at = input.at ?? new Date();
  // Readers follow a conversation by "messages after id N". PostgreSQL hands out ids when rows
  // are inserted, not when they commit, so two writers could commit out of id order and a
  // reader skip the later-committed, lower id. Holding the conversation's row until commit
  // makes one conversation's ids commit in order.
  await db.lockRow("Conversation", conversation.id);
  const message = await insertMessage(db, conversation, {
    type: input.type,
    content: input.content,
    authorName: input.authorName,
    operatorId: input.operatorId,
    at,
  });
  await moveConversationForMessage(db, conversation, { id: message.id, type: input.type, at, sessionData: input.sessionData });
  return message;
}
