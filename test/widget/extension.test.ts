import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { check } from "@shopify/theme-check-node";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/database";
import { buildWidget, LOADER_ASSET } from "../../scripts/build-widget";

const EXTENSION = path.join(ROOT, "extensions/convot-widget");

describe("theme app extension", () => {
  it("passes Shopify's theme-check with the theme-app-extension configuration", async () => {
    expect(fs.readFileSync(path.join(EXTENSION, ".theme-check.yml"), "utf8")).toContain("theme-check:theme-app-extension");
    const offenses = await check(EXTENSION);
    expect(offenses.map((o) => `${o.check}: ${o.message} (${o.uri})`)).toEqual([]);
  }, 60_000);

  it("is an app embed block for body, with the merchant's settings", () => {
    const liquid = fs.readFileSync(path.join(EXTENSION, "blocks/convot-embed.liquid"), "utf8");
    const schema = JSON.parse(/{% schema %}([\s\S]*){% endschema %}/.exec(liquid)![1]);
    expect(schema.target).toBe("body");
    expect(schema.settings.map((s: { id: string }) => s.id)).toEqual(["accent_color", "position", "greeting", "hide_on_mobile"]);
    expect(liquid).toMatch(/<script\s+src="{{ 'convot-loader.js' \| asset_url }}"\s+async/);
  });

  it("boots the storefront and the admin with the same queue stub", async () => {
    const { QUEUE_STUB } = await import("../../app/components/ConvotWidget");
    const liquid = fs.readFileSync(path.join(EXTENSION, "blocks/convot-embed.liquid"), "utf8");
    const stub = /<script>\s*([\s\S]*?)\s*<\/script>/.exec(liquid)![1];
    expect(stub).toBe(QUEUE_STUB);
  });

  it("keeps the storefront JavaScript under Shopify's 10 KB app-block limit", () => {
    const loader = fs.readFileSync(LOADER_ASSET);
    const liquid = fs.readFileSync(path.join(EXTENSION, "blocks/convot-embed.liquid"), "utf8");
    const inline = [...liquid.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("");
    const total = loader.length + Buffer.byteLength(inline);
    console.log(`storefront JS: loader ${loader.length} B (${gzipSync(loader).length} B gzipped) + inline stub ${Buffer.byteLength(inline)} B`);
    expect(total).toBeLessThan(10 * 1024);
  });

  it("ships the loader built from widget/loader.ts (the committed asset is current)", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "convot-widget-"));
    await buildWidget({ loader: path.join(dir, "loader.js"), panel: path.join(dir, "panel.js") });
    expect(fs.readFileSync(path.join(dir, "loader.js"), "utf8")).toBe(fs.readFileSync(LOADER_ASSET, "utf8"));
  });
});
