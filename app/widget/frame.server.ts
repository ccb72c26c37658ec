// The panel page's HTML: plain markup and one script (public/widget/panel.js, built from
// widget/panel.ts), no framework — it loads inside every storefront's page weight.
const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function widgetFrameHtml(params: URLSearchParams): string {
  const greeting = (params.get("greeting") || "Hi! How can we help?").slice(0, 200);
  const accent = /^#[0-9a-f]{3,8}$/i.test(params.get("accent") ?? "") ? params.get("accent")! : "#1f5199";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>Chat</title>
<style>
  body{margin:0;font:14px/1.45 system-ui,-apple-system,sans-serif;color:#1a1a1a;display:flex;flex-direction:column;height:100vh}
  header{background:${accent};color:#fff;padding:14px 16px;display:flex;justify-content:space-between;align-items:center}
  header button{background:transparent;border:0;color:#fff;font-size:22px;cursor:pointer;line-height:1}
  main{flex:1;padding:16px;overflow:auto}
  #convot-who{color:#555;font-size:12px;margin:0 0 8px}
  #convot-status{color:#b42318;font-size:12px}
  a{color:${accent}}
</style>
</head>
<body>
<header><strong id="convot-greeting">${escapeHtml(greeting)}</strong><button id="convot-close" type="button" aria-label="Close chat">×</button></header>
<main>
  <p id="convot-who"></p>
  <p><a id="convot-help" href="/help?app=${encodeURIComponent(params.get("app") ?? "")}" target="_blank" rel="noopener">Help center</a></p>
  <p id="convot-status" role="status"></p>
</main>
<script src="/widget/panel.js" defer></script>
</body>
</html>`;
}
