// The inbox pages' HTTP side, shared by the console and the admin: a conversation that is not
// the app's is 404; a button's bad input comes back as a message beside the form.
import { ConvotError } from "../errors";
import type { TeamAuthor } from "../conversations/team-actions.server";
import { applyInboxIntent, conversationPage, inboxPage, inboxStatus } from "../conversations/inbox.server";
import { wholeNumberOr } from "./query-numbers";

/** The inbox list a page's URL asks for: ?status=open|resolved&page=N. */
export function loadInbox(appId: number, request: Request) {
  const url = new URL(request.url);
  const page = wholeNumberOr(url.searchParams, "page", { min: 1, max: 10_000, fallback: 1 });
  return inboxPage(appId, inboxStatus(url.searchParams.get("status")), page);
}

export function loadConversation(appId: number, conversationId: string | undefined) {
  return conversationPage(appId, conversationId ?? "").catch((error) => {
    if (error instanceof ConvotError) throw new Response("Not found", { status: 404 });
    throw error;
  });
}

export async function submitInboxForm(appId: number, conversationId: string | undefined, form: FormData, author: TeamAuthor) {
  try {
    await applyInboxIntent(appId, conversationId ?? "", { intent: form.get("intent"), content: form.get("content") }, author);
    return Response.json({ ok: true });
  } catch (error) {
    if (!(error instanceof ConvotError)) throw error;
    if (error.code === "not_found") throw new Response("Not found", { status: 404 });
    return Response.json({ error: error.message }, { status: 422 });
  }
}
