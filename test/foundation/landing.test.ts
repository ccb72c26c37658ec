import { describe, expect, it } from "vitest";
import { request } from "../support/app";

describe("landing page", () => {
  it("in demo mode, says what to try", async () => {
    const response = await request("/");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain("Demo mode");
    expect(html).toContain("npm run webhook -- app/uninstalled --shop convot-demo.myshopify.com");
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
