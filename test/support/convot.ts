// Convot-side helpers for tests: apps with keys, signed identify calls, API requests.
import { createHmac } from "node:crypto";
import { request } from "./app";

export const userHash = (secret: string, identifier: string) => createHmac("sha256", secret).update(identifier).digest("hex");

export type TestApp = { id: number; organizationId: number; publicKey: string; identitySecret: string; token: string };

/** A fresh organization and app with an all-scopes API key (or the scopes given). */
export async function createTestApp(
  options: { organizationId?: number; requireIdentityVerification?: boolean; scopes?: string[]; name?: string } = {},
): Promise<TestApp> {
  await request("/"); // the build has booted against this file's database
  const { createApp, createOrganization } = await import("../../app/apps/apps.server");
  const { createApiKey, SCOPES } = await import("../../app/apps/api-keys.server");
  const organizationId = options.organizationId ?? (await createOrganization("Test Org")).id;
  const app = await createApp({
    organizationId,
    name: options.name ?? "Test App",
    requireIdentityVerification: options.requireIdentityVerification,
  });
  const key = await createApiKey({ appId: app.id, scopes: (options.scopes ?? [...SCOPES]) as never });
  return { id: app.id, organizationId, publicKey: app.publicKey, identitySecret: app.identitySecret, token: key.token };
}

export async function api(path: string, options: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await request(path, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers,
    body: options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** The widget's identify call, signed with the app's secret unless `sign: false`. */
export async function identifyAs(app: TestApp, body: Record<string, unknown>, options: { sign?: boolean } = {}) {
  const identifier = String(body.external_id ?? body.email);
  const signed = options.sign === false ? body : { user_hash: userHash(app.identitySecret, identifier), ...body };
  return api("/api/v1/identify", { body: { app_id: app.publicKey, ...signed } });
}

export async function getContact(app: TestApp, contactId: number) {
  return api(`/api/v1/contacts/${contactId}`, { token: app.token });
}
