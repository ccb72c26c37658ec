import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { ROOT } from "../support/database";

describe("landing page", () => {
  it("in demo mode, says what to try", async () => {
    const response = await request("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Demo mode");
    expect(html).toContain("npm run webhook -- app/uninstalled --shop convot-demo.myshopify.com");
  });

  it("is styled and titled, links to the demo's pages and aims its commands at this server", async () => {
    const html = await (await request("/")).text();
    expect(html).toContain("<title>Convot for Shopify</title>");
    const stylesheet = html.match(/<link rel="stylesheet" href="(\/build\/[^"]+\.css)"/)?.[1];
    expect(stylesheet, "the landing links its own stylesheet").toBeTruthy();
    expect(readFileSync(path.join(ROOT, "public", stylesheet!), "utf8")).toContain(".landing-command");
    for (const href of ["/preview", "/demo", "/demo/inbox", "/console"]) expect(html).toContain(`<a href="${href}">`);
    expect(html).toContain("set -a; . ./.env; set +a");
    expect(html).toContain("http://localhost:3000/api/v1/contacts?external_id=convot-demo.myshopify.com");
    expect(html).toContain(">Copy</button>");
  });

  it("titles every page", async () => {
    for (const path of ["/console/login", "/auth/login", "/demo", "/demo/inbox"]) {
      const html = await (await request(path)).text();
      expect(html, path).toMatch(/<title>[^<]+<\/title>/);
    }
  });

  it("sends a merchant who opens the app from Shopify to the embedded admin", async () => {
    const response = await request("/?shop=acme.myshopify.com&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/app?shop=acme.myshopify.com&host=YWRtaW4uc2hvcGlmeS5jb20vc3RvcmUvYWNtZQ");
  });

  it("never shows a secret", async () => {
    const html = await (await request("/")).text();
    for (const secret of [process.env.SHOPIFY_API_SECRET!, process.env.CONVOT_IDENTITY_SECRET!, process.env.CONVOT_API_KEY!]) {
      expect(html).not.toContain(secret);
    }
  });
});
