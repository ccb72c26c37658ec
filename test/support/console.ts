// A console operator and a signed-in cookie, the way a browser gets one (the login form).
import { request } from "./app";

export async function createOperator(organizationId: number, email: string, password = "correct horse battery", role = "owner") {
  await request("/");
  const { createOperator: create } = await import("../../app/console/operators.server");
  return create({ organizationId, email, password, role });
}

export async function loginCookie(email: string, password = "correct horse battery"): Promise<string> {
  const response = await request("/console/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password, next: "" }),
  });
  const cookie = response.headers.get("set-cookie");
  if (response.status !== 302 || !cookie) throw new Error(`login failed: ${response.status}`);
  return cookie.split(";")[0];
}
