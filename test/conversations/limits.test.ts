// Rate limits through the real server (server/index.ts): the client cannot choose the address it is counted under.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInProcessServer, type InProcessServer } from "../support/in-process-server";

let server: InProcessServer;
beforeAll(async () => {
  server = await startInProcessServer();
}, 60_000);
afterAll(() => server?.stop());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get("retry-after"), body: await res.json() };
}

describe("rate limits behind the server", () => {
  it("counts the socket's address, whatever X-Convot-Peer or X-Forwarded-For the client sends, on any spelling of the path", async () => {
    await fetch(`${server.url}/`);
    const session = await post("/api/v1/widget/session", { app_id: process.env.CONVOT_APP_KEY, host: server.url });
    expect(session.status).toBe(200);
    const auth = { Authorization: `Bearer ${session.body.visitor_token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const spoof = { ...auth, "X-Convot-Peer": `198.51.100.${i}`, "X-Forwarded-For": `203.0.113.${i}` };
      const path = i % 2 ? "/API/v1/widget/messages" : "/api/v1/widget/messages";
      statuses.push((await post(path, { content: `message ${i}` }, spoof)).status);
    }
    expect(statuses.slice(0, 20).every((s) => s === 201)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429]);
  });
});
