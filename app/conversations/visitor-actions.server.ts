// The widget visitor's side of a conversation: what the widget shows, a visitor writing (which
// continues their conversation or starts one), their read mark, and a verified identify giving
// their anonymous conversations to the contact. The visitor sees incoming and outgoing
// messages only; notes and activity are the team's.
import { sql } from "../db.server";
import type { Sql } from "../db/sql.server";
import type { ConvotApp } from "../apps/apps.server";
import { findAppContact } from "../contacts/app-contacts.server";
import { findContactKnownToApp } from "../contacts/contacts.server";
import { invalid, notFound, type ErrorDetail } from "../errors";
import { appendMessage } from "./append-message.server";
import { contactLabel } from "./contact-label";
import { checkContent, checkSessionData, mergeSessionData } from "./conversation-input";
import {
  advanceVisitorRead,
  assignVisitorConversations,
  findLatestConversationOfContact,
  findLatestConversationOfVisitor,
  insertConversation,
  type ConversationRow,
} from "./conversations.server";
import { countRepliesAfter, listMessages, type MessageRow, type MessageType } from "./messages.server";
import { announce, appChannel, contactChannel, conversationChannels, visitorChannel } from "./wake-ups.server";
import type { Visitor } from "./visitor-token";

/** What the widget shows: the contact's side of the thread. */
const VISIBLE_TO_CONTACT: readonly MessageType[] = ["incoming", "outgoing"];

/**
 * The visitor's contact record in this app: null while anonymous, undefined when the token
 * names a contact this app no longer knows (erased).
 */
async function visitorAppContactId(app: ConvotApp, visitor: Visitor, db: Sql): Promise<number | null | undefined> {
  if (visitor.contactId === null) return null;
  return (await findAppContact(db, app.id, visitor.contactId))?.id;
}

/** The latest conversation of an identified visitor's contact, else of the anonymous visitor. */
const latestConversation = (app: ConvotApp, visitorId: string, appContactId: number | null, db: Sql) =>
  appContactId !== null ? findLatestConversationOfContact(db, app.id, appContactId) : findLatestConversationOfVisitor(db, app.id, visitorId);

/** The conversation the visitor sees. */
async function visitorConversation(app: ConvotApp, visitor: Visitor, db: Sql): Promise<ConversationRow | null> {
  const appContactId = await visitorAppContactId(app, visitor, db);
  return appContactId === undefined ? null : latestConversation(app, visitor.visitorId, appContactId, db);
}

export type WidgetState = { conversation: ConversationRow | null; messages: MessageRow[]; unread: number };

/** What the widget shows: its conversation, the messages after `after`, and how many replies are unread. */
export async function widgetState(app: ConvotApp, visitor: Visitor, after = 0, db: Sql = sql): Promise<WidgetState> {
  const conversation = await visitorConversation(app, visitor, db);
  if (!conversation) return { conversation: null, messages: [], unread: 0 };
  const [messages, unread] = await Promise.all([
    listMessages(conversation.id, { after, types: VISIBLE_TO_CONTACT }, db),
    countRepliesAfter(conversation.id, conversation.visitorReadId, db),
  ]);
  return { conversation, messages, unread };
}

/** A visitor writes: continues their conversation (reopening it) or starts one. */
export async function postVisitorMessage(app: ConvotApp, visitor: Visitor, body: Record<string, unknown>): Promise<MessageRow> {
  const problems: ErrorDetail[] = [];
  const content = checkContent(body.content, problems);
  const sessionPatch = checkSessionData(body.session_data, problems);
  if (problems.length) throw invalid(problems);
  const { message, conversation } = await sql.transaction(async (tx) => {
    // Two first messages at once (a double click, two tabs) must not start two conversations:
    // the transaction holds a lock named for this visitor.
    await tx.lockName(visitor.contactId === null ? `visitor:${app.id}:${visitor.visitorId}` : `contact:${app.id}:${visitor.contactId}`);
    const appContactId = await visitorAppContactId(app, visitor, tx);
    if (appContactId === undefined) throw notFound("contact");
    let conversation = await latestConversation(app, visitor.visitorId, appContactId, tx);
    if (!conversation) {
      conversation = await insertConversation(tx, { appId: app.id, appContactId, visitorId: visitor.visitorId, sessionData: {} });
    }
    const sessionData = mergeSessionData(conversation.sessionData, sessionPatch);
    const contact = visitor.contactId === null ? null : await findContactKnownToApp(tx, app.id, visitor.contactId);
    const message = await appendMessage(tx, conversation, { type: "incoming", content, authorName: contactLabel(contact), sessionData });
    return { message, conversation };
  });
  announce(conversationChannels(conversation));
  return message;
}

/** The visitor has seen their conversation up to `messageId` (the widget's badge clears). */
export async function markVisitorRead(app: ConvotApp, visitor: Visitor, messageId: number): Promise<void> {
  const conversation = await visitorConversation(app, visitor, sql);
  if (!conversation) return;
  await advanceVisitorRead(app.id, conversation.id, messageId);
}

/** A verified identify: the visitor's anonymous conversations now belong to the contact. */
export async function claimVisitorConversations(app: ConvotApp, visitorId: string, contactId: number): Promise<number> {
  const appContact = await findAppContact(sql, app.id, contactId);
  if (!appContact) return 0;
  const changes = await assignVisitorConversations(app.id, visitorId, appContact.id);
  if (changes) announce([appChannel(app.id), contactChannel(app.id, contactId), visitorChannel(app.id, visitorId)]);
  return changes;
}
