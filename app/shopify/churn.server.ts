// Churn in the developer's inbox: an uninstall next to a recent conversation with the merchant
// reopens that conversation with a note saying when they left.
import type { Sql } from "../db/sql.server";
import { appendMessage } from "../conversations/append-message.server";
import { findLatestConversationOfContact, type ConversationRow } from "../conversations/conversations.server";
import { findLastReplyAt, type MessageRow } from "../conversations/messages.server";

/** An uninstall this many days after the conversation's last activity leaves it alone. */
export const CHURN_WINDOW_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * An uninstall next to a recent conversation: reopen the merchant's latest conversation when
 * it saw activity in the last 7 days and note the churn in it. Runs inside the webhook's
 * exactly-once transaction, so a redelivery adds nothing.
 */
export async function noteChurn(
  db: Sql,
  input: { appId: number; appContactId: number; appName: string; at: Date },
): Promise<{ message: MessageRow; conversation: ConversationRow } | null> {
  const conversation = await findLatestConversationOfContact(db, input.appId, input.appContactId);
  if (!conversation) return null;
  if (input.at.getTime() - conversation.lastActivityAt.getTime() > CHURN_WINDOW_DAYS * DAY_MS) return null;
  const content = `Uninstalled ${input.appName} — ${churnDelay(await findLastReplyAt(db, conversation.id), input.at)}`;
  const message = await appendMessage(db, conversation, { type: "activity", content, authorName: null, at: input.at });
  return { message, conversation };
}

function churnDelay(lastReply: Date | null, at: Date): string {
  if (!lastReply) return "before anyone replied";
  const days = Math.floor((at.getTime() - lastReply.getTime()) / DAY_MS);
  if (days < 1) return "less than a day after your last reply";
  return `${days} day${days === 1 ? "" : "s"} after your last reply`;
}
