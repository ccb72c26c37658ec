// SIGTERM drains an instance: it stops accepting, answers waiting long-polls at once (their
// clients poll again elsewhere), finishes requests in flight, closes its pools and exits 0
// (docs/decisions/022). How fast is bench/shutdown.ts's to print, not this test's to assert.
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { request } from "../support/app";
import { ENGINE, ROOT } from "../support/database";
import { startServer, type RunningServer } from "../support/server";

const METRICS_TOKEN = "test-metrics-token-0123456789";

function sample(text: string, name: string, label = ""): number {
  const line = text.split("\n").find((l) => l.startsWith(`${name}${label ? `{${label}}` : ""} `));
  return line ? Number(line.split(" ").pop()) : Number.NaN;
}

describe(`draining (${ENGINE})`, () => {
  let server: RunningServer;
  afterAll(() => server?.stop());

  it("on SIGTERM answers its long-polls at once, finishes a write in flight, and exits 0", async () => {
    server = await startServer({ METRICS_TOKEN, LOG_LEVEL: "info" });
    const session = await fetch(`${server.url}/api/v1/widget/session`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ app_id: process.env.CONVOT_APP_KEY, host: server.url }),
    });
    const { visitor_token: token } = await session.json();
    const events: string[] = [];
    const exited = new Promise<number | null>((resolve) =>
      server.process.once("exit", (code) => {
        events.push("exited");
        resolve(code);
      }),
    );

    // Three widgets waiting for replies (25 s each).
    const polls = [1, 2, 3].map(() =>
      fetch(`${server.url}/api/v1/widget/messages?wait=25`, { headers: { Authorization: `Bearer ${token}` } }).then(async (res) => {
        events.push("poll answered");
        return { status: res.status, connection: res.headers.get("connection"), body: await res.json(), at: Date.now() };
      }),
    );
    // A visitor's message, its body half sent when the signal arrives.
    const body = JSON.stringify({ content: "sent as the instance stops" });
    const write = net.connect(Number(new URL(server.url).port), "127.0.0.1");
    await new Promise((resolve) => write.once("connect", resolve));
    write.write(
      `POST /api/v1/widget/messages HTTP/1.1\r\nHost: ${new URL(server.url).host}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
    );
    let writeAnswer = "";
    write.on("data", (chunk) => (writeAnswer += chunk));
    const writeDone = new Promise<void>((resolve) => write.once("close", () => (events.push("write answered"), resolve())));

    // Everything is in flight once the server counts it: 3 polls waiting, the write, and the scrape asking.
    for (let i = 0; i < 200; i++) {
      const text = await (await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).text();
      if (sample(text, "convot_long_poll_waiters", 'endpoint="widget"') === 3 && sample(text, "convot_http_requests_in_flight") === 5) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }

    const signalled = Date.now();
    server.process.kill("SIGTERM");
    const answered = await Promise.all(polls);
    // The rest of the write arrives after the signal: the instance still finishes it.
    write.write(body.slice(10));
    await writeDone;
    expect(await exited).toBe(0);

    for (const poll of answered) {
      expect(poll.status).toBe(200);
      expect(poll.body).toMatchObject({ messages: [] });
      // Told to reconnect (to another instance), and long before the 25 s wait was up.
      expect(poll.connection).toBe("close");
      expect(poll.at - signalled).toBeLessThan(15_000);
    }
    expect(writeAnswer).toMatch(/^HTTP\/1\.1 201 /);
    expect(writeAnswer).toMatch(/\r\nConnection: close\r\n/i);
    expect(events.lastIndexOf("poll answered")).toBeLessThan(events.indexOf("exited"));

    const log = server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line));
    const messages = log.map((line) => line.msg);
    expect(messages.indexOf("draining")).toBeGreaterThan(-1);
    expect(messages.indexOf("stopped")).toBeGreaterThan(messages.indexOf("draining"));
    expect(log.find((line) => line.msg === "stopped")).toMatchObject({ cut: 0 });
    const polled = log.filter((line) => line.msg === "request" && line.route === "/api/v1/widget/messages" && line.method === "GET");
    expect(polled.map((line) => line.status)).toEqual([200, 200, 200]);
  }, 60_000);

  it("answers /readyz 503 while draining, /healthz still 200, and a long-poll that arrives then at once", async () => {
    expect((await request("/readyz")).status).toBe(200);
    const build = await import(pathToFileURL(path.join(ROOT, "build/index.js")).href);
    build.entry.module.operations.startDraining();
    const ready = await request("/readyz");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, draining: true, database: "ok", migrations: "applied" });
    expect((await request("/healthz")).status).toBe(200);

    const session = await request("/api/v1/widget/session", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ app_id: process.env.CONVOT_APP_KEY, host: new URL(process.env.SHOPIFY_APP_URL!).origin }),
    });
    const { visitor_token: token } = await session.json();
    const started = Date.now();
    const poll = await request("/api/v1/widget/messages?wait=25", { headers: { Authorization: `Bearer ${token}` } });
    expect(poll.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
