// Bad input is a 422 naming the field on both engines, never a 500, and writes nothing: NUL
// characters (PostgreSQL refuses them, SQLite stores them), impossible calendar dates, numbers
// past what an id column holds, and the like, on every public write and filter.
import { beforeAll, describe, expect, it } from "vitest";
import { api, createTestApp, type TestApp } from "../support/convot";
import { widgetPost, widgetSession } from "../support/conversations";

let app: TestApp;
let contactId: number;
let conversationId: string;
let visitor: string;
beforeAll(async () => {
  app = await createTestApp();
  contactId = (await api("/api/v1/contacts", { token: app.token, body: { email: "base@example.com" } })).body.id;
  conversationId = (await api("/api/v1/conversations", { token: app.token, body: { contact_id: contactId } })).body.id;
  visitor = (await widgetSession(app)).body.visitor_token;
});

const NUL = "a\u0000b";
type Case = [label: string, call: () => Promise<{ status: number; body: any }>, field: string];

const contactCases = (): Case[] => [
  ...["email", "external_id", "name", "company", "phone", "avatar_url"].map((field): Case => [
    `contact ${field} with NUL`,
    () =>
      api("/api/v1/contacts", {
        token: app.token,
        body: { email: "x@example.com", [field]: field === "email" ? `x${NUL}@example.com` : field === "avatar_url" ? `https://e.com/${NUL}` : NUL },
      }),
    field,
  ]),
  ["identify name with NUL", () => api("/api/v1/identify", { body: { app_id: app.publicKey, email: "y@example.com", name: NUL } }), "name"],
  ["identify external_id with NUL", () => api("/api/v1/identify", { body: { app_id: app.publicKey, external_id: NUL } }), "external_id"],
  [
    "identify custom data value with NUL",
    () => api("/api/v1/identify", { body: { app_id: app.publicKey, email: "z@example.com", custom_data: { plan: NUL } } }),
    "custom_data.plan",
  ],
  [
    "custom data value with NUL",
    () => api(`/api/v1/contacts/${contactId}/custom_data`, { method: "PATCH", token: app.token, body: { custom_data: { plan: NUL } } }),
    "custom_data.plan",
  ],
  [
    "custom data key with NUL",
    () => api(`/api/v1/contacts/${contactId}/custom_data`, { method: "PUT", token: app.token, body: { custom_data: { [`pl${NUL}an`]: "x" } } }),
    "custom_data",
  ],
];

const eventCases = (): Case[] => [
  [
    "event property with NUL",
    () => api(`/api/v1/contacts/${contactId}/events`, { token: app.token, body: { name: "clicked", properties: { where: NUL } } }),
    "properties.where",
  ],
  ["event name with NUL", () => api(`/api/v1/contacts/${contactId}/events`, { token: app.token, body: { name: `clicked${NUL}` } }), "name"],
  ...[
    "2026-02-30",
    "2026-02-29T10:00:00Z",
    "2026-04-31T00:00:00Z",
    "2026-13-01",
    "2026-00-10",
    "2026-06-07T24:00:00Z",
    "2026-06-07T10:60:00Z",
    "2026-06-07T10:00:61Z",
    "2026-06-07T10:00:00+24:00",
    "0000-01-01T00:00:00Z",
  ].map((date): Case => [
    `occurred_at ${date}`,
    () => api(`/api/v1/contacts/${contactId}/events`, { token: app.token, body: { name: "clicked", occurred_at: date } }),
    "occurred_at",
  ]),
  [
    "Idempotency-Key with a control character",
    () => api(`/api/v1/contacts/${contactId}/events`, { token: app.token, body: { name: "clicked" }, headers: { "Idempotency-Key": "a\u0001b" } }),
    "Idempotency-Key",
  ],
];

const conversationCases = (): Case[] => [
  [
    "message content with NUL",
    () => api(`/api/v1/conversations/${conversationId}/messages`, { token: app.token, body: { content: NUL } }),
    "content",
  ],
  [
    "new conversation's message with NUL",
    () => api("/api/v1/conversations", { token: app.token, body: { contact_id: contactId, message: { content: NUL } } }),
    "message.content",
  ],
  [
    "session data with NUL",
    () => api("/api/v1/conversations", { token: app.token, body: { contact_id: contactId, session_data: { page: NUL } } }),
    "session_data.page",
  ],
  ["contact_id past an id column", () => api("/api/v1/conversations", { token: app.token, body: { contact_id: 2 ** 31 } }), "contact_id"],
  [
    "operator_id past an id column",
    () => api(`/api/v1/conversations/${conversationId}/messages`, { token: app.token, body: { content: "hi", operator_id: 2 ** 40 } }),
    "operator_id",
  ],
  ["widget message with NUL", () => widgetPost(visitor, { content: NUL }), "content"],
  ["widget session data with NUL", () => widgetPost(visitor, { content: "hi", session_data: { page: NUL } }), "session_data.page"],
  [
    "widget read of a message id past an id column",
    () => api("/api/v1/widget/read", { token: visitor, body: { message_id: 2 ** 33 } }),
    "message_id",
  ],
  ["widget poll after an id past an id column", () => api(`/api/v1/widget/messages?after=${2 ** 40}`, { token: visitor }), "after"],
];

// A whole number is written in digits: Number() would also take 1e1, 0x10, 2.0 and " 5".
const queryNumberCases = (): Case[] => [
  ["per_page in exponent form", () => api("/api/v1/contacts?per_page=1e1", { token: app.token }), "per_page"],
  ["page in hex", () => api("/api/v1/contacts?page=0x2", { token: app.token }), "page"],
  ["page with a fraction", () => api("/api/v1/conversations?page=2.0", { token: app.token }), "page"],
  ["widget poll after with a leading space", () => api("/api/v1/widget/messages?after=%205", { token: visitor }), "after"],
  ["widget poll wait in exponent form", () => api("/api/v1/widget/messages?wait=2e1", { token: visitor }), "wait"],
  ["widget poll wait past 25 s", () => api("/api/v1/widget/messages?wait=26", { token: visitor }), "wait"],
];

const filterCases = (): Case[] => [
  ["email filter with NUL", () => api(`/api/v1/contacts?email=a%00b`, { token: app.token }), "email"],
  ["external_id filter with NUL", () => api(`/api/v1/contacts?external_id=a%00b`, { token: app.token }), "external_id"],
  ["custom data filter with NUL", () => api(`/api/v1/contacts?custom_data.plan=a%00b`, { token: app.token }), "custom_data.plan"],
];

describe("hostile input answers 422 naming the field, on this engine too", () => {
  for (const [group, cases] of [
    ["contacts and custom data", contactCases],
    ["events", eventCases],
    ["conversations and the widget", conversationCases],
    ["filters", filterCases],
    ["whole-number query parameters", queryNumberCases],
  ] as const) {
    it(group, async () => {
      for (const [label, call, field] of cases()) {
        const answer = await call();
        expect(answer.status, `${label}: ${JSON.stringify(answer.body)}`).toBe(422);
        expect(answer.body.error.code).toBe("unprocessable_entity");
        expect(answer.body.error.details?.map((d: { field: string }) => d.field) ?? [], label).toContain(field);
      }
    });
  }

  it("ids past what the database holds are 404 in paths, not 500", async () => {
    for (const path of [`/api/v1/contacts/${2 ** 31}`, `/api/v1/contacts/99999999999999`, `/api/v1/contacts/${2 ** 31}/events`]) {
      expect((await api(path, { token: app.token })).status, path).toBe(404);
    }
  });

  it("a console sign-in with a NUL in the email is a refusal, not a 500", async () => {
    const { request } = await import("../support/app");
    const response = await request("/console/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ email: "op\u0000@example.com", password: "whatever password" }),
    });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("That email and password do not match.");
  });

  it("a real leap day and a valid offset are accepted", async () => {
    for (const date of ["2024-02-29", "2028-02-29T23:59:59.999Z", "2026-06-07T10:30:00+05:45", "2026-06-07T10:30:00-0800"]) {
      const answer = await api(`/api/v1/contacts/${contactId}/events`, { token: app.token, body: { name: "dated", occurred_at: date } });
      expect(answer.status, date).toBe(201);
      expect(answer.body.occurred_at).toBe(new Date(date).toISOString());
    }
  });

  it("nothing was written by the refused calls", async () => {
    const contacts = (await api("/api/v1/contacts?per_page=100", { token: app.token })).body.contacts;
    expect(contacts.map((c: { email: string }) => c.email)).toEqual(["base@example.com"]);
    const events = (await api(`/api/v1/contacts/${contactId}/events?per_page=100`, { token: app.token })).body.events;
    expect(events.every((e: { name: string }) => e.name === "dated")).toBe(true);
    expect((await api(`/api/v1/contacts/${contactId}`, { token: app.token })).body.custom_data).toEqual({});
  });
});
