import { describe, expect, it } from "vitest";
import { SIGN_IN_LIMITS } from "../../app/console/sign-in-limits";
import { db, request } from "../support/app";
import { createOperator, loginCookie } from "../support/console";
import { runScript } from "../support/server";

let n = 0;
const newEmail = () => `op${++n}-${Date.now()}@convot.example`;
async function org() {
  await request("/");
  const { createOrganization, createApp } = await import("../../app/apps/apps.server");
  const organization = await createOrganization("Console Org");
  await createApp({ organizationId: organization.id, name: "Console App" });
  return organization.id;
}

const postLogin = (email: string, password: string, headers: Record<string, string> = {}) =>
  request("/console/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ email, password, next: "/console/apps/1?plan=pro" }),
  });

describe("console sign-in", () => {
  it("sends an unauthenticated visitor to the login page, coming back afterwards", async () => {
    const response = await request("/console/apps/1?plan=pro");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/console/login?next=%2Fconsole%2Fapps%2F1%3Fplan%3Dpro");
  });

  it("signs in with the right password: an httpOnly, SameSite, signed cookie; the session works until logout", async () => {
    const email = newEmail();
    await createOperator(await org(), email);
    const response = await postLogin(email, "correct horse battery");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/console/apps/1?plan=pro");
    const setCookie = response.headers.get("set-cookie")!;
    expect(setCookie).toMatch(/convot_console=[^;]+\./);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const overHttps = await postLogin(email, "correct horse battery", { "X-Forwarded-Proto": "https" });
    expect(overHttps.headers.get("set-cookie")).toMatch(/; Secure/i);
    const cookie = setCookie.split(";")[0];
    const home = await request("/console", { headers: { Cookie: cookie } });
    expect(home.status).toBe(302);
    expect(home.headers.get("location")).toMatch(/^\/console\/apps\/\d+$/);

    // A tampered cookie is no session.
    expect((await request("/console", { headers: { Cookie: `${cookie}x` } })).headers.get("location")).toMatch(/^\/console\/login/);

    const page = await (await request(home.headers.get("location")!, { headers: { Cookie: cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
    const forged = await request("/console/logout", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf: "wrong" }),
    });
    expect(forged.status).toBe(403);
    const logout = await request("/console/logout", {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf }),
    });
    expect(logout.headers.get("location")).toBe("/console/login");
    expect((await request("/console", { headers: { Cookie: cookie } })).headers.get("location")).toMatch(/^\/console\/login/);
  });

  it("refuses a wrong password and an unknown email with the same message", async () => {
    const email = newEmail();
    await createOperator(await org(), email);
    const wrong = await (await postLogin(email, "not the password")).text();
    const unknown = await (await postLogin(newEmail(), "whatever password")).text();
    expect(wrong).toContain("That email and password do not match.");
    expect(unknown).toContain("That email and password do not match.");
  });

  it("locks the account at an address after its limit of failures there, even for the right password", async () => {
    const email = newEmail();
    await createOperator(await org(), email);
    const from = { "x-convot-peer": "203.0.113.5" };
    const { failures, lockSeconds } = SIGN_IN_LIMITS.accountAtAddress;
    for (let i = 0; i < failures; i++) expect(await (await postLogin(email, `wrong ${i}`, from)).text()).toContain("do not match");
    const locked = await postLogin(email, "correct horse battery", from);
    expect(locked.status).toBe(200);
    expect(await locked.text()).toContain(`try again in ${lockSeconds / 60} minutes`);
  }, 30_000);

  it("refuses a login form posted from another site", async () => {
    const email = newEmail();
    await createOperator(await org(), email);
    const response = await postLogin(email, "correct horse battery", { Origin: "https://evil.example" });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.headers.get("set-cookie")).toBeNull();
  });

  it("never redirects outside the console after login", async () => {
    const email = newEmail();
    await createOperator(await org(), email);
    for (const next of ["https://evil.example", "//evil.example", "/app"]) {
      const response = await request("/console/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ email, password: "correct horse battery", next }),
      });
      expect(response.headers.get("location")).toBe("/console");
    }
  });

  it("stores scrypt hashes, never the password, and the CLI creates operators", async () => {
    const email = newEmail();
    const result = await runScript([
      "scripts/convot.ts",
      "operator",
      "create",
      "--email",
      email,
      "--password",
      "a long enough password",
      "--role",
      "owner",
    ]);
    expect(result.code).toBe(0);
    const { sql } = await db();
    const row = await sql.one<{ passwordHash: string; role: string }>(`SELECT "passwordHash", "role" FROM "Operator" WHERE "email" = ?`, [email]);
    expect(row!.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row!.passwordHash).not.toContain("a long enough password");
    expect(row!.role).toBe("owner");
    await loginCookie(email, "a long enough password");
    const short = await runScript(["scripts/convot.ts", "operator", "create", "--email", newEmail(), "--password", "short"]);
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("password must be at least 12 characters");
  });
});
