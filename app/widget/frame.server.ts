// The panel page's HTML: plain markup and one script (public/widget/panel.js, built from
// widget/panel.ts), no framework — it loads inside every storefront's page weight. It is served
// only for a host the app knows to be its own (docs/decisions/015).
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { findAppByPublicKey } from "../apps/apps.server";
import { isWidgetHost, parseHostOrigin } from "./hosts.server";

// public/ is served with a max-age of an hour: the content hash keeps a browser from running a
// cached panel against a server that expects what a newer one sends.
const PANEL_SRC = (() => {
  try {
    const hash = createHash("sha256").update(fs.readFileSync(path.resolve(process.cwd(), "public/widget/panel.js")));
    return `/widget/panel.js?v=${hash.digest("base64url").slice(0, 12)}`;
  } catch {
    return "/widget/panel.js";
  }
})();

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The panel for `?app=&host=`, or a page saying why it is not shown (unknown app, a host not the
 * app's). `?preview=1` is its look alone (the onboarding page's settings preview): no script, no chat.
 */
export async function widgetFrame(params: URLSearchParams): Promise<{ status: number; html: string }> {
  if (params.get("preview") === "1") return { status: 200, html: widgetFrameHtml(params, { chat: false }) };
  const appKey = (params.get("app") ?? "").slice(0, 100);
  const app = appKey ? await findAppByPublicKey(appKey) : null;
  if (!app) return { status: 404, html: notShown("This chat is not set up: no app has this key.") };
  const host = parseHostOrigin(params.get("host"));
  if (!host) return { status: 400, html: notShown("This chat needs the page's origin as its host parameter.") };
  if (!(await isWidgetHost(app, host)))
    return { status: 403, html: notShown(`This chat is not available here: host ${host} is not a site of this app.`) };
  return { status: 200, html: widgetFrameHtml(params) };
}

function notShown(reason: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Chat unavailable</title></head>
<body style="margin:0;padding:16px;font:14px/1.45 system-ui,sans-serif;color:#555"><p>${escapeHtml(reason)}</p></body>
</html>`;
}

const DARK_TEXT = "#1a1a1a";

/** #rgb, #rgba, #rrggbb or #rrggbbaa as [r, g, b] (0–255); null for anything else. */
function rgbOf(hex: string): [number, number, number] | null {
  const digits = hex.slice(1);
  if (digits.length === 3 || digits.length === 4) return [0, 1, 2].map((i) => parseInt(digits[i] + digits[i], 16)) as [number, number, number];
  if (digits.length === 6 || digits.length === 8) return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as [number, number, number];
  return null;
}

/** WCAG's relative luminance. */
function luminance([r, g, b]: [number, number, number]): number {
  const channel = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * The merchant picks the accent; text on it must stay readable whatever they pick: white on a
 * dark accent, near-black on a light one (whichever contrasts more, WCAG's ratio). Links on the
 * panel's white take the accent only where it is dark enough to read.
 */
export function accentColors(accent: string): { onAccent: string; link: string } {
  const rgb = rgbOf(accent);
  if (!rgb) return { onAccent: "#fff", link: accent };
  const l = luminance(rgb);
  const againstWhite = 1.05 / (l + 0.05);
  const againstDark = (l + 0.05) / (luminance(rgbOf(DARK_TEXT)!) + 0.05);
  return { onAccent: againstWhite >= againstDark ? "#fff" : DARK_TEXT, link: againstWhite >= 4.5 ? accent : DARK_TEXT };
}

function widgetFrameHtml(params: URLSearchParams, { chat = true } = {}): string {
  const greeting = (params.get("greeting") || "Hi! How can we help?").slice(0, 200);
  const accent = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(params.get("accent") ?? "") ? params.get("accent")! : "#1f5199";
  const { onAccent, link } = accentColors(accent);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat</title>
<style>
  body{margin:0;font:14px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;display:flex;flex-direction:column;height:100vh}
  header{background:${accent};color:${onAccent};padding:14px 16px;display:flex;justify-content:space-between;align-items:center}
  header h1{font-size:inherit;font-weight:700;margin:0}
  header button{background:transparent;border:0;color:${onAccent};font-size:22px;cursor:pointer;line-height:1}
  main{flex:1;padding:12px 16px;overflow:auto}
  #convot-who{color:#555;font-size:12px;margin:0 0 8px}
  #convot-status{color:#b42318;font-size:12px;margin:4px 16px}
  #convot-empty{color:#555}
  ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:8px}
  .convot-message{max-width:80%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;overflow-wrap:anywhere}
  .convot-message p{margin:0}
  .convot-message small{display:block;font-size:11px;opacity:.7;margin-top:2px}
  .convot-incoming{align-self:flex-end;background:${accent};color:${onAccent};border-bottom-right-radius:4px}
  .convot-outgoing{align-self:flex-start;background:#f1f1f1;border-bottom-left-radius:4px}
  form{display:flex;gap:8px;padding:10px 12px;border-top:1px solid #eee}
  textarea{flex:1;resize:none;border:1px solid #ccc;border-radius:8px;padding:8px;font:inherit;height:40px}
  form button{background:${accent};color:${onAccent};border:0;border-radius:8px;padding:0 14px;font:600 14px system-ui;cursor:pointer}
  form button:disabled{opacity:.6}
  footer{padding:0 16px 8px;font-size:12px}
  a{color:${link}}
</style>
</head>
<body>
<header><h1 id="convot-greeting">${escapeHtml(greeting)}</h1><button id="convot-close" type="button" aria-label="Close chat">×</button></header>
<main>
  <p id="convot-who"></p>
  <p id="convot-empty">Send us a message: we usually reply within a few hours.</p>
  <ol id="convot-messages" aria-live="polite" aria-label="Conversation"></ol>
</main>
<p id="convot-status" role="status"></p>
<form id="convot-form" aria-label="Write to us">
  <textarea id="convot-input" name="content" maxlength="5000" placeholder="Write a message…" aria-label="Message" required></textarea>
  <button type="submit">Send</button>
</form>
<footer><a id="convot-help" href="/help?app=${encodeURIComponent(params.get("app") ?? "")}" target="_blank" rel="noopener">Help center</a></footer>
${chat ? `<script src="${PANEL_SRC}" defer></script>` : ""}
</body>
</html>`;
}
