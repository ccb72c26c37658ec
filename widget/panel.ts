// The panel inside the sandboxed iframe, served from the app's own origin: it talks to the
// host page only by postMessage (origin-checked) and to this app's API directly, so a
// storefront on any domain works and nothing here can break the host page.
// Chat: a visitor token (anonymous, kept in this origin's storage across page loads, under the
// host's origin; an identified one for this page only), the conversation read by long-polling.
// Nothing is read from storage and no session starts until the parent has proven to be the
// host the URL names (docs/decisions/015): any page may frame this one naming any host.
import type { HostToPanel, PanelToHost } from "./protocol";

type WidgetMessage = { id: number; type: "incoming" | "outgoing"; content: string; author_name: string | null; created_at: string };
type WidgetState = { conversation: { id: string } | null; messages: WidgetMessage[]; unread: number; visitor_token?: string };

const params = new URLSearchParams(location.search);
const appId = params.get("app") ?? "";
const hostOrigin = params.get("host") ?? "";
// The same browser partition may hold the panel of several pages of one site: one slot per host.
const storageKey = `convot:visitor:${appId}:${hostOrigin}`;
const legacyStorageKey = `convot:visitor:${appId}`; // one slot for every host: emptied, never read
const identity: Record<string, unknown> = {};
const sessionData: Record<string, unknown> = {};
let identityToken: string | null = null;

// Where the browser names the parent's origin (ancestorOrigins: Chromium, Safari; "null" when the
// parent hides it), it must be the host; a panel that is not framed has no host at all.
const namedParent = (location as Location & { ancestorOrigins?: DOMStringList }).ancestorOrigins?.[0];
const parentMayBeHost = hostOrigin !== "" && parent !== window && (!namedParent || namedParent === "null" || namedParent === hostOrigin);
// Resolved by the first message from the parent whose origin is the host: its answer to ready.
let hostVerified = false;
let onHostVerified = () => {};
// Every identify, session and message waits in this chain, which starts once the host is proven.
let identifying: Promise<void> = new Promise<void>((resolve) => (onHostVerified = resolve));

let visitorToken: string | null = null; // the token the chat calls use
let anonymousToken: string | null = null; // read from storage once the host is proven
let identified = false;
let hasConversation = false;
let lastId = 0; // the poll cursor: moved only by what the server's reads return
let unread = 0;
let open = false;
let poller: AbortController | null = null;
const shown = new Set<number>();

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function readStored(): string | null {
  try {
    return localStorage.getItem(storageKey);
  } catch {
    return null; // storage blocked: the visitor is anonymous for this page only
  }
}

function verifyHost() {
  if (hostVerified) return;
  hostVerified = true;
  anonymousToken = readStored();
  try {
    localStorage.removeItem(legacyStorageKey);
  } catch {
    /* see readStored */
  }
  onHostVerified();
}

function store(token: string) {
  try {
    localStorage.setItem(storageKey, token);
  } catch {
    /* see readStored */
  }
}

function toHost(message: PanelToHost) {
  if (hostOrigin) parent.postMessage(message, hostOrigin);
}

function status(text: string) {
  $("#convot-status").textContent = text;
}

function showIdentity(verified: boolean) {
  const who = (identity.name as string) || (identity.email as string) || "";
  $("#convot-who").textContent = who ? `${who}${verified ? " · verified" : ""}` : "";
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON answers, read field by field
async function call(path: string, init: RequestInit = {}): Promise<any> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (init.body) headers["Content-Type"] = "application/json";
  if (visitorToken) headers.Authorization = `Bearer ${visitorToken}`;
  const response = await fetch(path, { ...init, headers });
  const body = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) throw Object.assign(new Error(body?.error?.message ?? `request failed (${response.status})`), { status: response.status });
  return body;
}

// ---------------------------------------------------------------- the thread

function render(messages: WidgetMessage[]) {
  const list = $("#convot-messages");
  for (const message of messages) {
    if (shown.has(message.id)) continue;
    shown.add(message.id);
    const item = document.createElement("li");
    item.className = `convot-message convot-${message.type}`;
    item.dataset.id = String(message.id);
    const text = document.createElement("p");
    text.textContent = message.content; // text, never markup
    const meta = document.createElement("small");
    const at = new Date(message.created_at);
    meta.textContent = `${message.type === "outgoing" ? (message.author_name ?? "Support") : "You"} · ${at.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`;
    item.append(text, meta);
    list.append(item);
  }
  $("#convot-empty").hidden = shown.size > 0;
  if (messages.length) list.lastElementChild?.scrollIntoView({ block: "end" });
}

function apply(state: WidgetState) {
  if (state.conversation) hasConversation = true;
  render(state.messages);
  // A reply written before the visitor's own last message but not yet read is still ahead of this.
  for (const message of state.messages) lastId = Math.max(lastId, message.id);
  unread = state.unread;
  if (open) markRead();
  else toHost({ type: "convot:unread", count: unread });
}

function reset() {
  shown.clear();
  lastId = 0;
  hasConversation = false;
  $("#convot-messages").replaceChildren();
}

/**
 * The token stopped working (an identified token lasts 12 hours; a page left open overnight):
 * back to the stored anonymous token, and identify again for the contact's conversation.
 */
let renewals = 0;
function renewSession() {
  poller?.abort();
  // A token refused again and again (say, a server still starting): back off, up to a minute.
  const delay = Math.min(60_000, 1000 * 2 ** renewals++ - 1000);
  const wasIdentified = identified;
  identified = false;
  visitorToken = null;
  identifying = identifying
    .then(() => new Promise((r) => setTimeout(r, delay)))
    .then(() => (wasIdentified ? identify({}) : undefined))
    .then(() => ensureSession())
    .catch(() => {});
}

/** A usable token, from a session started now if there is none (with retries on failure). */
async function ensureSession(): Promise<void> {
  for (let attempt = 0; !visitorToken; attempt++) {
    try {
      await startSession();
    } catch {
      status(attempt >= 2 ? "Chat is unavailable right now; retrying…" : "");
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** attempt)));
    }
  }
  status("");
}

/** Renews the token and loads the visitor's conversation from scratch. */
async function startSession() {
  const body = await call("/api/v1/widget/session", {
    method: "POST",
    body: JSON.stringify({ app_id: appId, host: hostOrigin, visitor_token: visitorToken ?? anonymousToken }),
  });
  visitorToken = body.visitor_token;
  renewals = 0;
  if (!body.identified) {
    anonymousToken = body.visitor_token;
    store(body.visitor_token);
  }
  reset();
  apply(body);
  poll();
}

function markRead() {
  const lastOutgoing = [...$("#convot-messages").querySelectorAll<HTMLElement>(".convot-outgoing")].pop();
  unread = 0;
  toHost({ type: "convot:unread", count: 0 });
  if (lastOutgoing)
    call("/api/v1/widget/read", { method: "POST", body: JSON.stringify({ message_id: Number(lastOutgoing.dataset.id) }) }).catch(() => {});
}

/** Long-polls for new messages while there is a conversation to follow (or the panel is open). */
function poll() {
  poller?.abort();
  if (!visitorToken || !(hasConversation || identified || open)) return;
  const controller = (poller = new AbortController());
  const loop = async (failures: number): Promise<void> => {
    if (controller.signal.aborted) return;
    try {
      const response = await fetch(`/api/v1/widget/messages?after=${lastId}&wait=25`, {
        headers: { Accept: "application/json", Authorization: `Bearer ${visitorToken}` },
        signal: controller.signal,
      });
      if (response.status === 401) return void renewSession();
      if (response.status === 429) {
        const retry = Number(response.headers.get("Retry-After"));
        await new Promise((r) => setTimeout(r, (Number.isFinite(retry) && retry > 0 ? Math.min(retry, 300) : 5) * 1000));
        return loop(failures);
      }
      if (!response.ok) throw new Error(String(response.status));
      apply(await response.json());
      return loop(0);
    } catch {
      if (controller.signal.aborted) return;
      // Offline or the server restarting: back off, up to 30 s.
      await new Promise((r) => setTimeout(r, Math.min(30_000, 1000 * 2 ** failures)));
      return loop(failures + 1);
    }
  };
  void loop(0);
}

async function send(content: string) {
  if (!visitorToken) await ensureSession();
  const body = await call("/api/v1/widget/messages", { method: "POST", body: JSON.stringify({ content, session_data: sessionData }) });
  render([body.message]);
  if (!hasConversation) {
    hasConversation = true;
    poll();
  }
}

// ---------------------------------------------------------------- identity

async function identify(fields: Record<string, unknown>) {
  Object.assign(identity, fields);
  if (!identity.external_id && !identity.email) return;
  // The anonymous session first: a verified identify moves its conversation to the contact.
  if (!anonymousToken) await ensureSession();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON answer, read field by field
  let body: any;
  try {
    body = await call("/api/v1/identify", { method: "POST", body: JSON.stringify({ app_id: appId, ...identity, visitor_token: anonymousToken }) });
  } catch (error) {
    status((error as Error).message || "Could not identify you.");
    toHost({ type: "convot:identified", verified: false, contactId: null });
    return;
  }
  identityToken = body.identity_token ?? null;
  // Links to the help center carry the verified identity across the domain hop.
  const help = $<HTMLAnchorElement>("#convot-help");
  const url = new URL(help.href);
  if (identityToken) url.searchParams.set("convot_identity", identityToken);
  else url.searchParams.delete("convot_identity");
  help.href = url.toString();
  showIdentity(Boolean(body.verified));
  toHost({ type: "convot:identified", verified: Boolean(body.verified), contactId: body.contact_id ?? null });
  if (body.visitor_token) {
    // Verified: the conversation is the contact's now (the anonymous one moved to it).
    visitorToken = body.visitor_token;
    identified = true;
    await startSession().catch(() => {});
  }
}

addEventListener("message", (event: MessageEvent<HostToPanel>) => {
  if (!parentMayBeHost || event.origin !== hostOrigin || event.source !== parent || !event.data) return;
  verifyHost();
  const message = event.data;
  if (message.type === "convot:identify") identifying = identifying.then(() => identify(message.fields)).catch(() => {});
  else if (message.type === "convot:session-data") Object.assign(sessionData, message.data);
  else if (message.type === "convot:opened") {
    open = message.open;
    document.body.dataset.open = String(open);
    if (open) {
      markRead();
      $("#convot-input").focus();
      if (!poller || poller.signal.aborted) poll();
    }
  } else if (message.type === "convot:token-request") {
    identifying.then(() => toHost({ type: "convot:token", id: message.id, token: identityToken }));
  }
});

$("#convot-close").addEventListener("click", () => toHost({ type: "convot:close" }));
// Escape anywhere in the panel closes it; the host puts focus back on the launcher.
addEventListener("keydown", (event) => {
  if (event.key === "Escape" && open) toHost({ type: "convot:close" });
});

const form = $<HTMLFormElement>("#convot-form");
const input = $<HTMLTextAreaElement>("#convot-input");
form.addEventListener("submit", (event) => {
  event.preventDefault();
  const content = input.value.trim();
  if (!content) return;
  const button = form.querySelector("button")!;
  button.disabled = true;
  status("");
  // Identify first: the message must land in the identified visitor's conversation.
  identifying
    .then(() => send(content))
    .then(() => (input.value = ""))
    .catch((error) => status(error.message))
    .finally(() => (button.disabled = false));
});
input.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey) {
    event.preventDefault();
    form.requestSubmit();
  }
});

// Posted to the host's origin only: a parent of any other origin never hears it, so never answers.
if (parentMayBeHost) toHost({ type: "convot:ready" });
else status("This chat is not available on this page.");
// The anonymous session starts once the host is proven (an identify that comes first starts it itself).
identifying = identifying.then(() => (visitorToken ? undefined : ensureSession())).catch(() => {});
