// The team's side of a conversation (the console, the merchant's admin, the API): replying,
// writing notes, starting a conversation with a contact, resolving and reopening, the team's
// read mark, and who an API call writes as.
import { sql } from "../db.server";
import type { Sql } from "../db/sql.server";
import type { ConvotApp } from "../apps/apps.server";
import { findAppContact } from "../contacts/app-contacts.server";
import { invalid, notFound, type ErrorDetail } from "../errors";
import { isDatabaseId, isPlainObject } from "../contacts/validation";
import { findOperatorInOrganization } from "../console/operators.server";
import { appendMessage } from "./append-message.server";
import { checkSessionData, checkTeamMessage, mergeSessionData, parseConversationStatus, type TeamMessage } from "./conversation-input";
import {
  advanceTeamRead,
  findConversation,
  insertConversation,
  requireConversation,
  updateConversationStatus,
  type ConversationRow,
} from "./conversations.server";
import type { MessageRow } from "./messages.server";
import { announce, appChannel, conversationChannels } from "./wake-ups.server";

/** Who a team message is signed by: an operator (their email), or the app or shop itself (operatorId null). */
export type TeamAuthor = { operatorId: number | null; name: string };

/** An incoming message written by the team (say, from an email) is the contact's, not theirs. */
const appendTeamMessage = (db: Sql, conversation: ConversationRow, message: TeamMessage, author: TeamAuthor) =>
  appendMessage(db, conversation, {
    type: message.type,
    content: message.content,
    authorName: message.type === "incoming" ? null : author.name,
    operatorId: message.type === "incoming" ? null : author.operatorId,
  });

/** The team writes: a reply the contact sees (outgoing) or an internal note. */
export async function postTeamMessage(
  appId: number,
  conversationId: string,
  input: { type: unknown; content: unknown },
  author: TeamAuthor,
): Promise<MessageRow> {
  const problems: ErrorDetail[] = [];
  const checked = checkTeamMessage(input, problems);
  if (problems.length) throw invalid(problems);
  const { message, conversation } = await sql.transaction(async (tx) => {
    const conversation = await requireConversation(appId, conversationId, tx);
    return { conversation, message: await appendTeamMessage(tx, conversation, checked, author) };
  });
  announce(conversationChannels(conversation));
  return message;
}

/** The API's create: a conversation with a contact of the app, with its first message if given — all or nothing. */
export async function startConversation(
  app: ConvotApp,
  body: Record<string, unknown>,
  author: TeamAuthor,
): Promise<{ conversation: ConversationRow; message: MessageRow | null }> {
  const problems: ErrorDetail[] = [];
  if (!isDatabaseId(body.contact_id)) {
    problems.push({ field: "contact_id", message: "is required: the id of one of this app's contacts" });
  }
  const sessionData = checkSessionData(body.session_data, problems);
  let first: TeamMessage | null = null;
  if (body.message !== undefined) {
    if (!isPlainObject(body.message)) problems.push({ field: "message", message: "must be an object: {content, type?}" });
    else first = checkTeamMessage({ type: body.message.type, content: body.message.content }, problems, "message.");
  }
  if (problems.length) throw invalid(problems);
  const result = await sql.transaction(async (tx) => {
    const appContact = await findAppContact(tx, app.id, body.contact_id as number);
    if (!appContact) throw notFound("contact");
    const conversation = await insertConversation(tx, {
      appId: app.id,
      appContactId: appContact.id,
      visitorId: null,
      sessionData: mergeSessionData({}, sessionData),
    });
    const message = first ? await appendTeamMessage(tx, conversation, first, author) : null;
    return { conversation: (await findConversation(app.id, conversation.id, tx))!, message };
  });
  announce(conversationChannels(result.conversation));
  return result;
}

/** Resolves or reopens the conversation (`status`: "open" or "resolved", else 422). */
export async function setConversationStatus(appId: number, conversationId: string, status: unknown): Promise<ConversationRow> {
  const next = parseConversationStatus(status);
  const conversation = await requireConversation(appId, conversationId);
  await updateConversationStatus(appId, conversation.id, next);
  announce([appChannel(appId)]);
  return (await findConversation(appId, conversation.id))!;
}

/** The team has seen the conversation up to `messageId`. */
export const markTeamRead = (appId: number, conversationId: string, messageId: number): Promise<void> =>
  advanceTeamRead(appId, conversationId, messageId);

/**
 * Who an API call writes as: the named operator (of the app's organization, else 422), or
 * the app itself.
 */
export async function apiAuthor(app: ConvotApp, operatorId: unknown): Promise<TeamAuthor> {
  if (operatorId === undefined || operatorId === null) return { operatorId: null, name: app.name };
  if (!isDatabaseId(operatorId)) {
    throw invalid([{ field: "operator_id", message: "must be an operator's id (a whole number)" }]);
  }
  const operator = await findOperatorInOrganization(app.organizationId, operatorId);
  if (!operator) throw invalid([{ field: "operator_id", message: "is not an operator of this app's organization" }]);
  return { operatorId: operator.id, name: operator.email };
}
