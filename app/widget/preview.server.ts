// Demo mode's storefront preview: the app embed block's real Liquid, rendered with liquidjs
// and stand-ins for Shopify's objects and filters, inside a sample storefront page.
import fs from "node:fs";
import path from "node:path";
import { Liquid, type TagToken, type TopLevelToken } from "liquidjs";
import { ensureStorefrontApp } from "../shopify/storefront-apps.server";
import { DEMO_SHOP } from "../shopify/demo";
import { scriptJson } from "../shopify/merchant-identity.server";

const EXTENSION = path.resolve(process.cwd(), "extensions/convot-widget");

function readJson(file: string) {
  return JSON.parse(fs.readFileSync(path.join(EXTENSION, file), "utf8"));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a locale file's JSON tree
function lookup(tree: Record<string, any>, key: string): string {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a locale file's JSON tree, walked by key path
  return key.split(".").reduce<any>((node, part) => node?.[part], tree) ?? key;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a locale file's JSON tree
function engine(locale: Record<string, any>) {
  const liquid = new Liquid({ strictFilters: true });
  // {% schema %} is theme metadata, not output.
  liquid.registerTag("schema", {
    parse(token: TagToken, remaining: TopLevelToken[]) {
      while (remaining.length) {
        const next = remaining.shift()!;
        if ((next as TagToken).name === "endschema") return;
      }
      throw new Error(`{% schema %} without {% endschema %} (${token.getText()})`);
    },
    render() {
      return "";
    },
  });
  // Shopify serves extension assets from its CDN; the preview serves the same file from the app.
  liquid.registerFilter("asset_url", (name: string) => `/widget/${name === "convot-loader.js" ? "loader.js" : name}`);
  liquid.registerFilter("t", (key: string) => lookup(locale, key));
  return liquid;
}

export type PreviewOptions = {
  origin: string;
  customerId: string | null;
  identify: string | null;
  settings: Record<string, string>;
  /** false renders the same page without the block (the bench's baseline). */
  embed?: boolean;
};

/** ?identify= must be a JSON object; it is re-serialised, never pasted into the page. */
function parseIdentify(raw: string): Record<string, unknown> {
  try {
    const value = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) return value;
  } catch {
    /* fall through */
  }
  throw new Response("identify must be a JSON object", { status: 400 });
}

export async function renderPreview(options: PreviewOptions): Promise<string> {
  const source = fs.readFileSync(path.join(EXTENSION, "blocks/convot-embed.liquid"), "utf8");
  const schema = JSON.parse(/{% schema %}([\s\S]*?){% endschema %}/.exec(source)![1]);
  const defaults = Object.fromEntries(schema.settings.map((s: { id: string; default?: unknown }) => [s.id, s.default ?? ""]));
  const app = await ensureStorefrontApp(DEMO_SHOP);
  const block = await engine(readJson("locales/en.default.json")).parseAndRender(source, {
    app: { metafields: { convot: { app_key: app.publicKey, app_origin: options.origin } } },
    block: { settings: { ...defaults, ...options.settings } },
    customer: options.customerId ? { id: Number(options.customerId) } : null,
    routes: { root_url: "/" },
  });
  const themeCode = options.identify ? `<script>window.Convot.identify(${scriptJson(parseIdentify(options.identify))});</script>` : "";
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Convot demo store</title>
<style>body{margin:0;font:16px/1.5 system-ui,sans-serif;color:#222}header{padding:18px 32px;border-bottom:1px solid #eee;display:flex;justify-content:space-between}header h1{font-size:inherit;margin:0}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:24px;padding:32px}.card{border:1px solid #eee;border-radius:8px;padding:16px}.ph{height:140px;background:#f2f2f2;border-radius:6px;margin-bottom:12px}</style>
</head>
<body>
<header><h1>Convot demo store</h1><span>${options.customerId ? `Signed in as customer ${Number(options.customerId)}` : "Guest"}</span></header>
<main class="grid">${["Canvas tote", "Wool beanie", "Enamel mug", "Linen apron"].map((p, i) => `<div class="card"><div class="ph"></div><strong>${p}</strong><p>$${18 + i * 7}.00</p></div>`).join("")}</main>
${
  options.embed === false
    ? ""
    : `${block}
${themeCode}`
}
</body>
</html>`;
}
