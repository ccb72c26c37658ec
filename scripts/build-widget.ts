// Builds the widget: the storefront loader into the theme app extension's assets (it must
// stay under Shopify's 10 KB app-block limit) and the panel script into public/widget/.
import { build } from "esbuild";
import fs from "node:fs/promises";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
export const LOADER_ASSET = path.join(root, "extensions/convot-widget/assets/convot-loader.js");
export const PANEL_ASSET = path.join(root, "public/widget/panel.js");
/** The same loader, served by the app for its own embedded admin. */
export const ADMIN_LOADER_ASSET = path.join(root, "public/widget/loader.js");

export async function buildWidget(outputs = { loader: LOADER_ASSET, panel: PANEL_ASSET }) {
  const common = { bundle: true, minify: true, format: "iife", target: "es2019", legalComments: "none", logLevel: "error" } as const;
  await build({ ...common, entryPoints: [path.join(root, "widget/loader.ts")], outfile: outputs.loader });
  await build({ ...common, entryPoints: [path.join(root, "widget/panel.ts")], outfile: outputs.panel });
  if (outputs.loader === LOADER_ASSET) {
    await fs.mkdir(path.dirname(ADMIN_LOADER_ASSET), { recursive: true });
    await fs.copyFile(LOADER_ASSET, ADMIN_LOADER_ASSET);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await buildWidget();
