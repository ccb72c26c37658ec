// How a conversation names its contact wherever the team reads it (inbox rows, the thread's
// title, the author of a visitor's messages): name, else email, else external id.
export type LabelledContact = { name: string | null; email: string | null; externalId: string | null };

export const ANONYMOUS_VISITOR = "Anonymous visitor";

/** `null`: nobody identified the visitor. */
export function contactLabel(contact: LabelledContact | null): string {
  if (!contact) return ANONYMOUS_VISITOR;
  return contact.name || contact.email || contact.externalId || "Contact";
}
