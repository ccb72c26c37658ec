// Conversations between an app's contacts (or anonymous widget visitors) and the app's team.
// Plain domain code: every query is scoped to its app; a conversation of another app is "not
// found". The widget side sees only incoming and outgoing messages — notes and activity are
// the team's.
import { randomUUID } from "node:crypto";
import { sql } from "../db.server";
import { toDate, type Sql, type SqlValue } from "../db/sql.server";
import type { ConvotApp } from "../convot/apps.server";
import { findAppContact, findContactInApp } from "../convot/contacts.server";
import { ConvotError, invalid, notFound, type ErrorDetail } from "../convot/errors";
import { listEvents } from "../convot/events.server";
import { checkCustomData, containsNul, isDatabaseId, isPlainObject, NUL_MESSAGE, type CustomValue } from "../convot/validation";
import { announce, appChannel, contactChannel, conversationChannels, visitorChannel } from "./live.server";
import type { Visitor } from "./visitor-token";

export const MESSAGE_TYPES = ["incoming", "outgoing", "note", "activity"] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ConversationStatus = "open" | "resolved";

export const CONVERSATION_LIMITS = {
  /** Characters of one message: a long email's worth, not a document. */
  messageLength: 5000,
  sessionDataKeys: 50,
  /** Messages one read returns; older ones page with `before`. */
  messagesPerRead: 200,
} as const;

/** What the widget shows: the contact's side of the thread. */
const VISIBLE_TO_CONTACT: readonly MessageType[] = ["incoming", "outgoing"];

export type MessageRow = {
  id: number;
  conversationId: string;
  type: MessageType;
  content: string;
  operatorId: number | null;
  authorName: string | null;
  createdAt: Date;
};

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

const CONVERSATION_SELECT = `SELECT cv."id", cv."appId", cv."appContactId", ac."contactId", cv."visitorId", cv."status", cv."sessionData",
  cv."lastActivityAt", cv."lastReplyAt", cv."visitorReadId", cv."teamReadId", cv."resolvedAt", cv."createdAt"
  FROM "Conversation" cv LEFT JOIN "AppContact" ac ON ac."id" = cv."appContactId"`;

const MESSAGE_SELECT = `SELECT "id", "conversationId", "type", "content", "operatorId", "authorName", "createdAt" FROM "Message"`;

const nullableDate = (value: unknown) => (value === null || value === undefined ? null : toDate(value));

function toConversation(row: Record<string, unknown>): ConversationRow {
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

// ------------------------------------------------------------------ input rules

export function checkContent(value: unknown, problems: ErrorDetail[], field = "content"): string {
  if (typeof value !== "string") {
    problems.push({ field, message: "is required: the message's text" });
    return "";
  }
  const content = value.trim();
  if (content === "") problems.push({ field, message: "must not be empty" });
  else if (containsNul(content)) problems.push({ field, message: NUL_MESSAGE });
  else if (content.length > CONVERSATION_LIMITS.messageLength) {
    problems.push({ field, message: `must be at most ${CONVERSATION_LIMITS.messageLength} characters (got ${content.length})` });
  }
  return content;
}

export function checkSessionData(value: unknown, problems: ErrorDetail[]): Record<string, CustomValue | null> {
  if (value === undefined) return {};
  const patch = checkCustomData(value, problems, "session_data");
  if (isPlainObject(value) && Object.keys(value).length > CONVERSATION_LIMITS.sessionDataKeys) {
    problems.push({ field: "session_data", message: `must have at most ${CONVERSATION_LIMITS.sessionDataKeys} keys` });
  }
  return patch;
}

function mergeSessionData(current: Record<string, CustomValue>, patch: Record<string, CustomValue | null>) {
  const next = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete next[key];
    else next[key] = value;
  }
  if (Object.keys(next).length > CONVERSATION_LIMITS.sessionDataKeys) {
    throw invalid([{ field: "session_data", message: `would hold more than ${CONVERSATION_LIMITS.sessionDataKeys} keys` }]);
  }
  return next;
}

// ------------------------------------------------------------------ reads

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

/** Messages of a conversation, oldest first: after `after` (new ones) or the latest page. */
export async function listMessages(
  conversationId: string,
  options: { after?: number; types?: readonly MessageType[]; limit?: number; offset?: number } = {},
  db: Sql = sql,
): Promise<MessageRow[]> {
  const limit = options.limit ?? CONVERSATION_LIMITS.messagesPerRead;
  const where = [`"conversationId" = ?`];
  const params: SqlValue[] = [conversationId];
  if (options.types) where.push(`"type" IN (${options.types.map(() => "?").join(", ")})`), params.push(...options.types);
  if (options.after) {
    where.push(`"id" > ?`), params.push(options.after);
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

// ------------------------------------------------------------------ the widget's side

/**
 * The visitor's contact record in this app: null while anonymous, undefined when the token
 * names a contact this app no longer knows (erased).
 */
async function visitorAppContactId(app: ConvotApp, visitor: Visitor, db: Sql): Promise<number | null | undefined> {
  if (visitor.contactId === null) return null;
  return (await findAppContact(db, app.id, visitor.contactId))?.id;
}

/** The latest conversation of an identified visitor's contact, else of the anonymous visitor. */
async function latestConversation(app: ConvotApp, visitorId: string, appContactId: number | null, db: Sql): Promise<ConversationRow | null> {
  const row =
    appContactId !== null
      ? await db.one(`${CONVERSATION_SELECT} WHERE cv."appContactId" = ? AND cv."appId" = ? ORDER BY cv."lastActivityAt" DESC LIMIT 1`, [
          appContactId,
          app.id,
        ])
      : await db.one(
          `${CONVERSATION_SELECT} WHERE cv."appId" = ? AND cv."visitorId" = ? AND cv."appContactId" IS NULL ORDER BY cv."lastActivityAt" DESC LIMIT 1`,
          [app.id, visitorId],
        );
  return row ? toConversation(row) : null;
}

/** The conversation the visitor sees. */
async function visitorConversation(app: ConvotApp, visitor: Visitor, db: Sql): Promise<ConversationRow | null> {
  const appContactId = await visitorAppContactId(app, visitor, db);
  return appContactId === undefined ? null : latestConversation(app, visitor.visitorId, appContactId, db);
}

export type WidgetState = { conversation: ConversationRow | null; messages: MessageRow[]; unread: number };

/** What the widget shows: its conversation, the messages after `after`, and how many are unread. */
export async function widgetState(app: ConvotApp, visitor: Visitor, after = 0, db: Sql = sql): Promise<WidgetState> {
  const conversation = await visitorConversation(app, visitor, db);
  if (!conversation) return { conversation: null, messages: [], unread: 0 };
  const [messages, unread] = await Promise.all([
    listMessages(conversation.id, { after, types: VISIBLE_TO_CONTACT }, db),
    db.one<{ n: number }>(`SELECT COUNT(*) AS "n" FROM "Message" WHERE "conversationId" = ? AND "type" = 'outgoing' AND "id" > ?`, [
      conversation.id,
      conversation.visitorReadId,
    ]),
  ]);
  return { conversation, messages, unread: Number(unread?.n ?? 0) };
}

/** How a visitor's messages are signed: the contact's name, email or id; "Visitor" while anonymous. */
async function contactLabel(contactId: number | null, db: Sql): Promise<string> {
  if (contactId === null) return "Visitor";
  const contact = await db.one<{ name: string | null; email: string | null; externalId: string | null }>(
    `SELECT "name", "email", "externalId" FROM "Contact" WHERE "id" = ?`,
    [contactId],
  );
  return contact?.name || contact?.email || contact?.externalId || "Visitor";
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
    const author = await contactLabel(visitor.contactId, tx);
    const message = await appendMessage(tx, conversation, { type: "incoming", content, authorName: author, sessionData });
    return { message, conversation };
  });
  announce(conversationChannels(conversation));
  return message;
}

export async function markVisitorRead(app: ConvotApp, visitor: Visitor, messageId: number): Promise<void> {
  const conversation = await visitorConversation(app, visitor, sql);
  if (!conversation) return;
  await sql.run(`UPDATE "Conversation" SET "visitorReadId" = ? WHERE "id" = ? AND "visitorReadId" < ?`, [messageId, conversation.id, messageId]);
}

/** A verified identify: the visitor's anonymous conversations now belong to the contact. */
export async function claimVisitorConversations(app: ConvotApp, visitorId: string, contactId: number): Promise<number> {
  const appContact = await findAppContact(sql, app.id, contactId);
  if (!appContact) return 0;
  const { changes } = await sql.run(
    `UPDATE "Conversation" SET "appContactId" = ? WHERE "appId" = ? AND "visitorId" = ? AND "appContactId" IS NULL`,
    [appContact.id, app.id, visitorId],
  );
  if (changes) announce([appChannel(app.id), contactChannel(app.id, contactId), visitorChannel(app.id, visitorId)]);
  return changes;
}

// ------------------------------------------------------------------ the team's side

async function insertConversation(
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
 * Appends a message and moves the conversation: any message but a note makes it the latest
 * activity; incoming and outgoing messages reopen a resolved conversation.
 */
async function appendMessage(
  db: Sql,
  conversation: ConversationRow,
  input: { type: MessageType; content: string; authorName: string | null; operatorId?: number | null; at?: Date; sessionData?: Record<string, CustomValue> },
): Promise<MessageRow> {
  const at = input.at ?? new Date();
  // Readers follow a conversation by "messages after id N". PostgreSQL hands out ids when rows
  // are inserted, not when they commit, so two writers could commit out of id order and a
  // reader skip the later-committed, lower id. Holding the conversation's row until commit
  // makes one conversation's ids commit in order.
  await db.lockRow("Conversation", conversation.id);
  const row = await db.one<{ id: number }>(
    `INSERT INTO "Message" ("appId", "conversationId", "type", "content", "operatorId", "authorName", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING "id"`,
    [conversation.appId, conversation.id, input.type, input.content, input.operatorId ?? null, input.authorName, at],
  );
  const sets: string[] = [];
  const params: SqlValue[] = [];
  if (input.type !== "note") sets.push(`"lastActivityAt" = ?`), params.push(at);
  if (input.type === "outgoing") sets.push(`"lastReplyAt" = ?`, `"teamReadId" = ?`), params.push(at, Number(row!.id));
  if (input.type !== "note") sets.push(`"status" = 'open'`, `"resolvedAt" = NULL`);
  if (input.sessionData) sets.push(`"sessionData" = ?`), params.push(JSON.stringify(input.sessionData));
  if (sets.length) await db.run(`UPDATE "Conversation" SET ${sets.join(", ")} WHERE "id" = ?`, [...params, conversation.id]);
  return { id: Number(row!.id), conversationId: conversation.id, type: input.type, content: input.content, operatorId: input.operatorId ?? null, authorName: input.authorName, createdAt: at };
}

export type TeamAuthor = { operatorId: number | null; name: string };
type TeamMessage = { type: "outgoing" | "note" | "incoming"; content: string };

function checkTeamMessage(input: { type: unknown; content: unknown }, problems: ErrorDetail[], prefix = ""): TeamMessage {
  const content = checkContent(input.content, problems, `${prefix}content`);
  const type = input.type === undefined ? "outgoing" : input.type;
  if (type !== "outgoing" && type !== "note" && type !== "incoming") {
    problems.push({ field: `${prefix}type`, message: "must be outgoing (a reply), note (internal) or incoming (from the contact)" });
  }
  return { type: type as TeamMessage["type"], content };
}

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

export async function setConversationStatus(appId: number, conversationId: string, status: unknown): Promise<ConversationRow> {
  if (status !== "open" && status !== "resolved") throw invalid([{ field: "status", message: "must be open or resolved" }]);
  const conversation = await requireConversation(appId, conversationId);
  await sql.run(`UPDATE "Conversation" SET "status" = ?, "resolvedAt" = ? WHERE "id" = ? AND "appId" = ?`, [
    status,
    status === "resolved" ? new Date() : null,
    conversation.id,
    appId,
  ]);
  announce([appChannel(appId)]);
  return (await findConversation(appId, conversation.id))!;
}

export async function markTeamRead(appId: number, conversationId: string, messageId: number): Promise<void> {
  await sql.run(`UPDATE "Conversation" SET "teamReadId" = ? WHERE "id" = ? AND "appId" = ? AND "teamReadId" < ?`, [
    messageId,
    conversationId,
    appId,
    messageId,
  ]);
}

export type InboxRow = ConversationRow & {
  contact: { id: number; name: string | null; email: string | null; externalId: string | null } | null;
  lastMessage: { type: MessageType; content: string; at: Date } | null;
  unread: boolean;
};

/** One page of the app's conversations, most recent activity first. */
export async function listConversations(
  appId: number,
  filters: { status?: ConversationStatus; contactId?: number },
  page: { page: number; perPage: number },
): Promise<{ conversations: InboxRow[]; hasMore: boolean }> {
  const where = [`cv."appId" = ?`];
  const params: SqlValue[] = [appId];
  if (filters.status) where.push(`cv."status" = ?`), params.push(filters.status);
  if (filters.contactId !== undefined) where.push(`ac."contactId" = ?`), params.push(filters.contactId);
  const rows = await sql.all(
    `SELECT cv."id", cv."appId", cv."appContactId", ac."contactId", cv."visitorId", cv."status", cv."sessionData",
       cv."lastActivityAt", cv."lastReplyAt", cv."visitorReadId", cv."teamReadId", cv."resolvedAt", cv."createdAt",
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

/** A conversation as the team sees it: every message, and the contact's context beside it. */
export async function conversationDetail(appId: number, conversationId: string) {
  const conversation = await requireConversation(appId, conversationId);
  const messages = await listMessages(conversation.id, { limit: 500 });
  let contact = null;
  let events: { id: number; name: string; occurredAt: Date; properties: Record<string, unknown> }[] = [];
  if (conversation.contactId !== null) {
    contact = await findContactInApp(appId, conversation.contactId);
    if (contact) events = (await listEvents(appId, contact.appContact.id, { page: 1, perPage: 10 })).events;
  }
  return { conversation, messages, contact, events };
}

// ------------------------------------------------------------------ churn

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
  const row = await db.one(
    `${CONVERSATION_SELECT} WHERE cv."appContactId" = ? AND cv."appId" = ? ORDER BY cv."lastActivityAt" DESC LIMIT 1`,
    [input.appContactId, input.appId],
  );
  if (!row) return null;
  const conversation = toConversation(row);
  if (input.at.getTime() - conversation.lastActivityAt.getTime() > CHURN_WINDOW_DAYS * DAY_MS) return null;
  const content = `Uninstalled ${input.appName} — ${churnDelay(await findLastReplyAt(db, conversation.id), input.at)}`;
  const message = await appendMessage(db, conversation, { type: "activity", content, authorName: null, at: input.at });
  return { message, conversation };
}

/**
 * When the team last answered the contact: an outgoing message after the contact's first
 * incoming one. A team-started conversation the contact never wrote in has no reply, even
 * though its opening message set `lastReplyAt`.
 */
async function findLastReplyAt(db: Sql, conversationId: string): Promise<Date | null> {
  const row = await db.one<{ at: unknown }>(
    `SELECT MAX(m."createdAt") AS "at" FROM "Message" m
      WHERE m."conversationId" = ? AND m."type" = 'outgoing'
        AND m."id" > (SELECT MIN(i."id") FROM "Message" i WHERE i."conversationId" = ? AND i."type" = 'incoming')`,
    [conversationId, conversationId],
  );
  return nullableDate(row?.at ?? null);
}

function churnDelay(lastReply: Date | null, at: Date): string {
  if (!lastReply) return "before anyone replied";
  const days = Math.floor((at.getTime() - lastReply.getTime()) / DAY_MS);
  if (days < 1) return "less than a day after your last reply";
  return `${days} day${days === 1 ? "" : "s"} after your last reply`;
}

/** After a transaction that wrote to the conversation has committed: wake whoever waits on it. */
export function announceConversation(conversation: ConversationRow): void {
  announce(conversationChannels(conversation));
}

export function assertStatus(value: string | null): ConversationStatus | undefined {
  if (value === null || value === "") return undefined;
  if (value === "open" || value === "resolved") return value;
  throw new ConvotError("unprocessable_entity", "status must be open or resolved", [{ field: "status", message: "must be open or resolved" }]);
}

/**
 * Who an API call writes as: the named operator (of the app's organization, else 422), or
 * the app itself.
 */
export async function apiAuthor(app: ConvotApp, operatorId: unknown): Promise<TeamAuthor> {
  if (operatorId === undefined || operatorId === null) return { operatorId: null, name: app.name };
  if (!isDatabaseId(operatorId)) {
    throw invalid([{ field: "operator_id", message: "must be an operator's id (a whole number)" }]);
  }
  const row = await sql.one<{ id: number; email: string }>(`SELECT "id", "email" FROM "Operator" WHERE "id" = ? AND "organizationId" = ?`, [
    operatorId,
    app.organizationId,
  ]);
  if (!row) throw invalid([{ field: "operator_id", message: "is not an operator of this app's organization" }]);
  return { operatorId: Number(row.id), name: row.email };
}
