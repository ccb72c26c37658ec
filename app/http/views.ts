// The JSON shapes of the public API.
import type { ContactInApp } from "../contacts/contacts-in-app.server";
import type { EventRow } from "../contacts/events.server";
import type { ConversationRow } from "../conversations/conversations.server";
import type { MessageRow } from "../conversations/messages.server";

/**
 * What a write answers with: the whole contact when the key may also read contacts, else only
 * its id (a `contacts:write` key must not read every contact by writing `{}` to it).
 */
export function writtenContactJson(contact: ContactInApp, scopes: readonly string[]) {
  return scopes.includes("contacts:read") ? contactJson(contact) : { id: contact.id };
}

export function contactJson(contact: ContactInApp) {
  const updatedAt = contact.appContact.updatedAt > contact.updatedAt ? contact.appContact.updatedAt : contact.updatedAt;
  return {
    id: contact.id,
    email: contact.email,
    external_id: contact.externalId,
    name: contact.name,
    company: contact.company,
    phone: contact.phone,
    avatar_url: contact.avatarUrl,
    custom_data: contact.customData,
    shopify_domain: contact.appContact.shopifyDomain,
    verified: contact.appContact.verifiedAt !== null,
    created_at: contact.createdAt.toISOString(),
    updated_at: updatedAt.toISOString(),
  };
}

export function eventJson(event: EventRow) {
  return {
    id: event.id,
    contact_id: event.contactId,
    name: event.name,
    occurred_at: event.occurredAt.toISOString(),
    properties: event.properties,
    created_at: event.createdAt.toISOString(),
  };
}

export const pageMeta = (page: { page: number; perPage: number }, hasMore: boolean) => ({
  page: page.page,
  per_page: page.perPage,
  has_more: hasMore,
});

export function conversationJson(conversation: ConversationRow) {
  return {
    id: conversation.id,
    contact_id: conversation.contactId,
    status: conversation.status,
    session_data: conversation.sessionData,
    last_activity_at: conversation.lastActivityAt.toISOString(),
    resolved_at: conversation.resolvedAt?.toISOString() ?? null,
    created_at: conversation.createdAt.toISOString(),
  };
}

export function messageJson(message: MessageRow) {
  return {
    id: message.id,
    conversation_id: message.conversationId,
    type: message.type,
    content: message.content,
    author: message.type === "activity" ? null : { name: message.authorName, operator_id: message.operatorId },
    created_at: message.createdAt.toISOString(),
  };
}

/** The widget's view of its conversation: no team-set session data, no contact id. */
export const widgetConversationJson = (conversation: ConversationRow) => ({ id: conversation.id, status: conversation.status });

/**
 * What the widget receives: no operator ids or emails (an operator's reply is signed with the
 * app's name), no internal message types (they are filtered out before).
 */
export function widgetMessageJson(message: MessageRow, appName: string) {
  return {
    id: message.id,
    type: message.type,
    content: message.content,
    author_name: message.operatorId !== null ? appName : message.authorName,
    created_at: message.createdAt.toISOString(),
  };
}
