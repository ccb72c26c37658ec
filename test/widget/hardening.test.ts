import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { api, userHash } from "../support/convot";
import { merchant, subscriptionUpdate } from "../support/merchants";

describe("the Shopify app's own Convot app (merchants)", () => {
  const appKey = () => process.env.CONVOT_APP_KEY!;
  const secret = () => process.env.CONVOT_IDENTITY_SECRET!;

  it("refuses unsigned identifies: merchant ids are public", async () => {
    await request("/");
    const res = await api("/api/v1/identify", {
      body: { app_id: appKey(), external_id: "victim.myshopify.com", custom_data: { trial_ends_at: "2020-01-01" } },
    });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("identity_verification_required");
  });

  it("lets the admin's signed identify fill webhook-owned keys only when blank, never overwrite them", async () => {
    const shop = `owned-${Date.now()}.myshopify.com`;
    await subscriptionUpdate(shop, { name: "Plus", status: "ACTIVE", updated_at: "2026-11-01T00:00:00Z", created_at: "2026-11-01T00:00:00Z" });
    const res = await api("/api/v1/identify", {
      body: {
        app_id: appKey(),
        external_id: shop,
        user_hash: userHash(secret(), shop),
        custom_data: { plan: "free", install_date: "2020-01-01", favourite: "blue" },
      },
    });
    expect(res.status).toBe(200);
    expect((await merchant(shop))!.custom_data).toMatchObject({ plan: "plus", install_date: "2020-01-01", favourite: "blue" });
    await api("/api/v1/identify", {
      body: { app_id: appKey(), external_id: shop, user_hash: userHash(secret(), shop), custom_data: { install_date: "2021-05-05" } },
    });
    expect((await merchant(shop))!.custom_data.install_date).toBe("2020-01-01");
  });
});

describe("/preview escapes what it is given", () => {
  it("refuses script as ?identify= and escapes settings", async () => {
    expect((await request("/preview?identify=alert(document.domain)")).status).toBe(400);
    const html = await (
      await request(
        `/preview?accent_color=${encodeURIComponent('"><script>alert(1)</script>')}&identify=${encodeURIComponent('{"name":"</script><script>alert(2)</script>"}')}`,
      )
    ).text();
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).not.toContain("<script>alert(2)</script>");
    expect(html).toContain("\\u003c/script\\u003e");
  });
});
