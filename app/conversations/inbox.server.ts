// What a team inbox shows (the developer's console and the merchant's admin alike): a list
// of conversations and one conversation with the contact's context, as plain data for a page;
// and what its buttons do.
import { ConvotError } from "../errors";
import { contactLabel } from "./contact-label";
import { parseConversationStatus } from "./conversation-input";
import { conversationDetail, listConversations } from "./conversation-finder.server";
import type { ConversationStatus } from "./conversations.server";
import { latestMessageId } from "./messages.server";
import { markTeamRead, postTeamMessage, setConversationStatus, type TeamAuthor } from "./team-actions.server";

export const INBOX_PAGE_SIZE = 30;

export async function inboxPage(appId: number, status: ConversationStatus, page: number) {
  // The cursor first: a message landing between the two reads then shows on the next refresh.
  const cursor = await latestMessageId(appId);
  const { conversations, hasMore } = await listConversations(appId, { status }, { page, perPage: INBOX_PAGE_SIZE });
  return {
    status,
    page,
    hasMore,
    cursor,
    conversations: conversations.map((c) => ({
      id: c.id,
      who: contactLabel(c.contact),
      email: c.contact?.email ?? null,
      preview: c.lastMessage ? c.lastMessage.content.slice(0, 140) : "",
      previewType: c.lastMessage?.type ?? null,
      lastActivityAt: c.lastActivityAt.toISOString(),
      unread: c.unread,
    })),
  };
}

export async function conversationPage(appId: number, conversationId: string) {
  const cursor = await latestMessageId(appId);
  const { conversation, messages, contact, events } = await conversationDetail(appId, conversationId);
  const lastIncoming = messages.filter((m) => m.type === "incoming").at(-1);
  if (lastIncoming && lastIncoming.id > conversation.teamReadId) await markTeamRead(appId, conversation.id, lastIncoming.id);
  return {
    cursor,
    conversation: {
      id: conversation.id,
      status: conversation.status,
      createdAt: conversation.createdAt.toISOString(),
      sessionData: Object.entries(conversation.sessionData).map(([key, value]) => ({ key, value: String(value) })),
    },
    who: contactLabel(contact),
    contact: contact
      ? {
          id: contact.id,
          email: contact.email,
          // Nobody vouched for it (it came beside a signed id, or unsigned): ADR 007.
          emailVerified: contact.emailTrusted,
          externalId: contact.externalId,
          verified: contact.appContact.verifiedAt !== null,
          customData: Object.entries(contact.customData)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => ({ key, value: String(value) })),
        }
      : null,
    events: events.map((e) => ({ id: e.id, name: e.name, occurredAt: e.occurredAt.toISOString() })),
    messages: messages.map((m) => ({ id: m.id, type: m.type, content: m.content, author: m.authorName, createdAt: m.createdAt.toISOString() })),
  };
}

export type InboxIntent = { intent: unknown; content: unknown };

/** A button of the conversation view: reply, note, resolve, reopen. */
export async function applyInboxIntent(appId: number, conversationId: string, input: InboxIntent, author: TeamAuthor) {
  switch (input.intent) {
    case "reply":
      return postTeamMessage(appId, conversationId, { type: "outgoing", content: input.content }, author);
    case "note":
      return postTeamMessage(appId, conversationId, { type: "note", content: input.content }, author);
    case "resolve":
      return setConversationStatus(appId, conversationId, "resolved");
    case "reopen":
      return setConversationStatus(appId, conversationId, "open");
    default:
      throw new ConvotError("bad_request", "intent must be reply, note, resolve or reopen");
  }
}

/** The tab a page's `?status=` asks for; anything but a status shows the open conversations. */
export const inboxStatus = (value: string | null): ConversationStatus => parseConversationStatus(value, "open");
