import { describe, expect, it } from "vitest";
import { request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { api, createTestApp } from "../support/convot";

describe("console CSV export", () => {
  it("downloads every contact with its custom data as columns, quoting and defusing formulas", async () => {
    const app = await createTestApp();
    const email = `export-${Date.now()}@convot.example`;
    await createOperator(app.organizationId, email);
    const cookie = await loginCookie(email);
    await api("/api/v1/contacts", {
      token: app.token,
      body: { external_id: "c1", name: 'Ann "the boss", Inc', custom_data: { plan: "pro", note: '=HYPERLINK("x")' } },
    });
    await api("/api/v1/contacts", { token: app.token, body: { external_id: "c2", email: "b@example.com", custom_data: { seats: 3 } } });

    const response = await request(`/console/apps/${app.id}/contacts.csv`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/csv");
    expect(response.headers.get("content-disposition")).toContain(`convot-contacts-app-${app.id}.csv`);
    const lines = (await response.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,external_id,email,name,company,phone,verified,created_at,note,plan,seats");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^\d+,c2,b@example.com,,,,true,[^,]+,,,3$/);
    expect(lines[2]).toContain(',c1,,"Ann ""the boss"", Inc",');
    expect(lines[2]).toContain(`"'=HYPERLINK(""x"")",pro,`);
  });

  it("is 404 to another organization and sends a visitor to the login page", async () => {
    const app = await createTestApp();
    const stranger = await createTestApp();
    const email = `export-other-${Date.now()}@convot.example`;
    await createOperator(stranger.organizationId, email);
    const cookie = await loginCookie(email);
    expect((await request(`/console/apps/${app.id}/contacts.csv`, { headers: { Cookie: cookie } })).status).toBe(404);
    expect((await request(`/console/apps/${app.id}/contacts.csv`)).headers.get("location")).toMatch(/^\/console\/login/);
  });
});
