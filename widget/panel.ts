// The panel inside the sandboxed iframe, served from the app's own origin: it talks to the
// host page only by postMessage (origin-checked) and to this app's API directly, so a
// storefront on any domain works and nothing here can break the host page.
import type { HostToPanel, PanelToHost } from "./protocol";

const params = new URLSearchParams(location.search);
const appId = params.get("app") ?? "";
const hostOrigin = params.get("host") ?? "";
const identity: Record<string, unknown> = {};
const sessionData: Record<string, unknown> = {};
let identityToken: string | null = null;
let identifying: Promise<void> = Promise.resolve();

const $ = <T extends HTMLElement>(selector: string) => document.querySelector<T>(selector)!;

function toHost(message: PanelToHost) {
  if (hostOrigin) parent.postMessage(message, hostOrigin);
}

function showIdentity(verified: boolean) {
  const who = (identity.name as string) || (identity.email as string) || "";
  $("#convot-who").textContent = who ? `${who}${verified ? " · verified" : ""}` : "";
}

async function identify(fields: Record<string, unknown>) {
  Object.assign(identity, fields);
  if (!identity.external_id && !identity.email) return;
  const response = await fetch("/api/v1/identify", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ app_id: appId, ...identity }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    $("#convot-status").textContent = body?.error?.message ?? "Could not identify you.";
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
}

addEventListener("message", (event: MessageEvent<HostToPanel>) => {
  if (event.origin !== hostOrigin || event.source !== parent || !event.data) return;
  const message = event.data;
  if (message.type === "convot:identify") identifying = identifying.then(() => identify(message.fields)).catch(() => {});
  else if (message.type === "convot:session-data") Object.assign(sessionData, message.data);
  else if (message.type === "convot:opened") document.body.dataset.open = String(message.open);
  else if (message.type === "convot:token-request") {
    identifying.then(() => toHost({ type: "convot:token", id: message.id, token: identityToken }));
  }
});

$("#convot-close").addEventListener("click", () => toHost({ type: "convot:close" }));
toHost({ type: "convot:ready" });
