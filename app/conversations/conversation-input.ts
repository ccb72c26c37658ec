// The rules a conversation's input must pass: message text, session data (and how a patch of it
// merges), a team message's type, a status. Plain checks, no database; a failure names the field.
import { invalid, type ErrorDetail } from "../errors";
import { checkCustomData, containsNul, isPlainObject, NUL_MESSAGE, type CustomValue } from "../contacts/validation";
import type { ConversationStatus } from "./conversations.server";

export const CONVERSATION_LIMITS = {
  /** Characters of one message: a long email's worth, not a document. */
  messageLength: 5000,
  sessionDataKeys: 50,
} as const;

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

/** A patch of session data: a value sets its key, null removes it. */
export function checkSessionData(value: unknown, problems: ErrorDetail[]): Record<string, CustomValue | null> {
  if (value === undefined) return {};
  const patch = checkCustomData(value, problems, "session_data");
  if (isPlainObject(value) && Object.keys(value).length > CONVERSATION_LIMITS.sessionDataKeys) {
    problems.push({ field: "session_data", message: `must have at most ${CONVERSATION_LIMITS.sessionDataKeys} keys` });
  }
  return patch;
}

/** The session data after a patch; more keys than the limit in the result is refused. */
export function mergeSessionData(current: Record<string, CustomValue>, patch: Record<string, CustomValue | null>): Record<string, CustomValue> {
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

/** What the team may write: a reply the contact sees, an internal note, or a message of the contact's (say, from an email). */
export type TeamMessage = { type: "outgoing" | "note" | "incoming"; content: string };

export function checkTeamMessage(input: { type: unknown; content: unknown }, problems: ErrorDetail[], prefix = ""): TeamMessage {
  const content = checkContent(input.content, problems, `${prefix}content`);
  const type = input.type === undefined ? "outgoing" : input.type;
  if (type !== "outgoing" && type !== "note" && type !== "incoming") {
    problems.push({ field: `${prefix}type`, message: "must be outgoing (a reply), note (internal) or incoming (from the contact)" });
  }
  return { type: type as TeamMessage["type"], content };
}

/**
 * A conversation's status as given: "open" or "resolved". Anything else is refused (422 naming
 * `status`) unless the caller names the status that stands in for it (a page's default tab).
 */
export function parseConversationStatus(value: unknown, otherwise?: ConversationStatus): ConversationStatus {
  if (value === "open" || value === "resolved") return value;
  if (otherwise !== undefined) return otherwise;
  throw invalid([{ field: "status", message: "must be open or resolved" }]);
}
