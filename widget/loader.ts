// The storefront loader: replaces the queue stub on window.Convot, replays what was queued
// once, puts the launcher on the page and the sandboxed panel iframe when it is needed
// (docs/decisions/028). Must stay < 10 KB.
import type { HostToPanel, PanelToHost } from "./protocol";

type Call = unknown[];
type Stub = { q?: Call[]; v?: number; loaded?: boolean } & Record<string, unknown>;

const VERSION = 1;
/** On the storefront's origin: this visitor has opened the chat here before. */
const ENGAGED_KEY = "convot:engaged";
const USER_FIELDS: Record<string, string> = {
  "user:email": "email",
  "user:nickname": "name",
  "user:avatar": "avatar_url",
  "user:company": "company",
  "user:phone": "phone",
};

(function boot(w: Window & { Convot?: Stub }) {
  const existing = w.Convot;
  if (existing?.loaded) return; // double include
  const script = document.querySelector<HTMLScriptElement>("script[data-convot-app]");
  if (!script) return;
  const cfg = script.dataset;
  const origin = new URL(cfg.convotOrigin || script.src).origin;
  const accent = /^#[0-9a-f]{3,8}$/i.test(cfg.convotAccent || "") ? cfg.convotAccent! : "#1f5199";
  const side = cfg.convotPosition === "left" ? "left" : "right";
  if (cfg.convotHideMobile === "true" && w.matchMedia("(max-width: 749px)").matches) return;

  // Storage may be blocked (privacy settings): the visitor is then treated as new on each page.
  const remembered = () => {
    try {
      return w.localStorage.getItem(ENGAGED_KEY) === "1";
    } catch {
      return false;
    }
  };
  const remember = () => {
    try {
      w.localStorage.setItem(ENGAGED_KEY, "1");
    } catch {
      /* see remembered */
    }
  };

  let open = false;
  let ready = false;
  let tokenSeq = 0;
  const outbox: HostToPanel[] = [];
  const tokenWaiters = new Map<number, (token: string | null) => void>();

  const root = document.createElement("div");
  root.id = "convot-root";
  const button = document.createElement("button");
  button.type = "button";
  button.setAttribute("aria-label", cfg.convotLabel || "Chat with us");
  button.setAttribute("aria-expanded", "false");
  button.style.cssText = `position:fixed;bottom:20px;${side}:20px;width:56px;height:56px;border-radius:50%;border:0;background:${accent};color:#fff;box-shadow:0 4px 14px rgba(0,0,0,.25);cursor:pointer;z-index:2147483000;display:flex;align-items:center;justify-content:center`;
  // A speech-bubble icon drawn inline: no font or image request, same on every system.
  button.innerHTML =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="currentColor" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
  const badge = document.createElement("span");
  badge.style.cssText =
    "position:absolute;top:-4px;right:-4px;min-width:18px;height:18px;border-radius:9px;background:#d72c0d;color:#fff;font:600 11px/18px system-ui;display:none";
  button.appendChild(badge);

  const frame = document.createElement("iframe");
  const params = new URLSearchParams({ app: cfg.convotApp || "", host: location.origin, greeting: cfg.convotGreeting || "", accent });
  frame.src = `${origin}/widget/frame?${params}`;
  frame.title = "Convot chat";
  frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
  frame.style.cssText = `position:fixed;bottom:88px;${side}:20px;width:min(380px,calc(100vw - 40px));height:min(560px,calc(100vh - 120px));border:0;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);z-index:2147483000;display:none;background:#fff`;

  const send = (message: HostToPanel) => (ready ? frame.contentWindow?.postMessage(message, origin) : outbox.push(message));

  // The panel (a document, its script, a session call) is most of the widget's cost to the
  // page, so it loads only when wanted: at once when the visitor reaches for the launcher, on
  // idle after the page's load when there is something to send (identify, session data, a
  // token) or a conversation to follow (the visitor has opened the chat before). A guest who
  // never touches the chat never downloads it.
  let attached = false;
  function attachPanel() {
    if (attached) return;
    attached = true;
    root.prepend(frame);
  }
  let scheduled = false;
  function attachWhenIdle() {
    if (attached || scheduled) return;
    scheduled = true;
    // Safari has no requestIdleCallback.
    const idle = () =>
      typeof w.requestIdleCallback === "function" ? w.requestIdleCallback(attachPanel, { timeout: 2000 }) : setTimeout(attachPanel, 200);
    if (document.readyState === "complete") idle();
    else w.addEventListener("load", idle, { once: true });
  }
  const sendSoon = (message: HostToPanel) => {
    send(message);
    attachWhenIdle();
  };

  function setOpen(next: boolean) {
    if (!attached && !next) return; // nothing to close
    attachPanel();
    // Focus follows the panel for keyboard users: into it on open, back to the launcher when
    // it closes from inside (its close button, Escape). A close by the page's own script while
    // focus is elsewhere leaves focus alone.
    const focusWasInPanel = document.activeElement === frame;
    open = next;
    frame.style.display = open ? "block" : "none";
    button.setAttribute("aria-expanded", String(open));
    if (open) frame.focus();
    else if (focusWasInPanel) button.focus();
    // Opening shows the messages the count was about: clear it now, not after the panel's answer.
    if (open) badge.style.display = "none";
    if (open) remember();
    send({ type: "convot:opened", open });
  }

  w.addEventListener("message", (event: MessageEvent<PanelToHost>) => {
    if (event.origin !== origin || event.source !== frame.contentWindow || !event.data) return;
    const message = event.data;
    if (message.type === "convot:ready") {
      ready = true;
      // The answer proves to the panel that its parent is this page's origin, the host it names.
      send({ type: "convot:hello" });
      outbox.splice(0).forEach(send);
    } else if (message.type === "convot:close") setOpen(false);
    else if (message.type === "convot:unread") {
      badge.textContent = String(message.count);
      badge.style.display = message.count > 0 && !open ? "block" : "none";
    } else if (message.type === "convot:token") {
      tokenWaiters.get(message.id)?.(message.token);
      tokenWaiters.delete(message.id);
    }
  });
  button.addEventListener("click", () => setOpen(!open));
  // Intent: a pointer over the launcher or keyboard focus on it starts the panel loading before the click.
  button.addEventListener("pointerenter", attachPanel, { once: true });
  button.addEventListener("focus", attachPanel, { once: true });
  // Escape closes the panel from the page too (focus on the launcher); the panel handles its own.
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && open && (document.activeElement === button || document.activeElement === frame)) {
      setOpen(false);
      button.focus();
    }
  });

  const actions: Record<string, () => void> = {
    "chat:open": () => setOpen(true),
    "chat:close": () => setOpen(false),
    "chat:toggle": () => setOpen(!open),
    "chat:show": () => (button.style.display = ""),
    "chat:hide": () => {
      setOpen(false);
      button.style.display = "none";
    },
  };

  function push(call: Call) {
    const [verb, key, value] = call as [string, string, unknown];
    if (verb === "do" && actions[key]) actions[key]();
    else if (verb === "set" && key === "session:data" && Array.isArray(value)) {
      // Crisp shape: [[[k, v], …]]; a flat [[k, v]] is accepted too.
      const pairs = (Array.isArray(value[0]?.[0]) ? value[0] : value) as [string, unknown][];
      sendSoon({ type: "convot:session-data", data: Object.fromEntries(pairs) });
    } else if (verb === "set" && USER_FIELDS[key]) {
      sendSoon({ type: "convot:identify", fields: { [USER_FIELDS[key]]: Array.isArray(value) ? value[0] : value } });
    }
  }

  const api = {
    v: VERSION,
    loaded: true,
    push: (call: Call) => (push(call), api),
    identify: (fields: Record<string, unknown>) => (sendSoon({ type: "convot:identify", fields }), api),
    open: () => (setOpen(true), api),
    close: () => (setOpen(false), api),
    identityToken: () =>
      new Promise<string | null>((resolve) => {
        const id = ++tokenSeq;
        tokenWaiters.set(id, resolve);
        sendSoon({ type: "convot:token-request", id });
      }),
  };

  // A logged-in shopper: the app proxy (same origin, signed by Shopify) vouches for them.
  if (cfg.convotProxy) {
    fetch(cfg.convotProxy, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : null))
      .then((body) => {
        if (!body?.identity) return;
        const { app_id: _app, ...identity } = body.identity;
        api.identify(identity);
      })
      .catch(() => {});
  }

  root.append(button);
  (document.body || document.documentElement).appendChild(root);
  if (remembered()) attachWhenIdle();
  const queued = existing?.q ?? [];
  w.Convot = api as unknown as Stub;
  // Replay once, in order: the stub recorded [method, ...args].
  for (const [method, ...args] of queued as [string, ...unknown[]][]) {
    const fn = (api as Record<string, unknown>)[method];
    if (typeof fn === "function") (fn as (...a: unknown[]) => unknown)(...args);
  }
  queued.length = 0;
})(window);
