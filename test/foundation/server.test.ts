import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDirectHandler } from "../../server/direct.ts";
import { runScript, startServer, type RunningServer } from "../support/server";
import { timeline } from "../support/merchants";
import { webhookDelivery } from "../../scripts/lib/shopify-webhook";
import { readTomlApiVersion } from "../../scripts/lib/app-toml";

describe("the server process", () => {
  it("refuses to start without SHOPIFY_API_SECRET, naming it", async () => {
    const failure = await startServer({ SHOPIFY_API_SECRET: undefined }).then(
      (server) => server.stop().then(() => null),
      (error) => error as { code: number; output: string },
    );
    expect(failure).not.toBeNull();
    expect(failure!.code).not.toBe(0);
    expect(failure!.output).toMatch(/SHOPIFY_API_SECRET: is required/);
  });

  describe("running", () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({});
    });
    afterAll(() => server?.stop());

    it("accepts a webhook signed by the trigger script (npm run webhook)", async () => {
      const result = await runScript(["scripts/webhook-trigger.ts", "app/uninstalled", "--url", server.url]);
      expect(result.stdout).toMatch(/app\/uninstalled → .* 200 OK/);
      expect(result.code).toBe(0);
    });

    it("stamps the fixture with the current time: a subscription sent now is the merchant's newest fact", async () => {
      const shop = `server-trigger-${Date.now()}.myshopify.com`;
      const before = Date.now();
      const result = await runScript(["scripts/webhook-trigger.ts", "app_subscriptions/update", "--shop", shop, "--url", server.url]);
      expect(result.code).toBe(0);
      const [event] = await timeline(shop);
      expect(event.name).toBe("trial_started");
      expect(new Date(event.occurred_at).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect(new Date(event.occurred_at).getTime()).toBeLessThanOrEqual(Date.now());
    });

    it("rejects the same webhook signed with another secret", async () => {
      const result = await runScript(["scripts/webhook-trigger.ts", "shop/redact", "--url", server.url, "--secret", "wrong"]);
      expect(result.stdout).toMatch(/401 Unauthorized/);
      expect(result.code).toBe(1);
    });

    it("authenticates a delivery by Shopify's headers among a proxy's, over the body's exact bytes", async () => {
      const shop = `server-proxy-${Date.now()}.myshopify.com`;
      const send = (body?: string) => {
        const delivery = webhookDelivery({
          topic: "app_purchases_one_time/update",
          shop,
          secret: process.env.SHOPIFY_API_SECRET!,
          apiVersion: readTomlApiVersion(),
          payload: { app_purchase_one_time: { name: "Réassort ✨", status: "ACTIVE", updated_at: "2026-11-20T10:00:00Z" } },
        });
        const proxy = { "X-Forwarded-For": "34.120.5.10", "X-Forwarded-Proto": "https", Via: "1.1 edge-proxy", Accept: "*/*" };
        return fetch(`${server.url}${delivery.path}`, { method: "POST", headers: { ...proxy, ...delivery.headers }, body: body ?? delivery.body });
      };
      expect((await send('{"app_purchase_one_time":{"name":"Forged","status":"ACTIVE"}}')).status).toBe(401);
      expect((await send()).status).toBe(200);
      expect((await timeline(shop)).map((e) => e.properties.name)).toEqual(["Réassort ✨"]);
    });

    it("lists every topic it can sign", async () => {
      const result = await runScript(["scripts/webhook-trigger.ts", "--list"]);
      expect(result.stdout.trim().split("\n")).toEqual(expect.arrayContaining(["app/uninstalled", "customers/redact", "shop/redact"]));
    });
  });

  it("releases a long-poll whose client leaves, but finishes a write whose client leaves", async () => {
    const seen: string[] = [];
    let finishWrite = () => {};
    const writeDone = new Promise<void>((resolve) => (finishWrite = resolve));
    // The client leaves once the handler has its request, not after a guessed delay.
    let arrived = () => {};
    // Two resource routes as a Remix build lists them: a loader that waits for news, an action that takes a while.
    const build = {
      routes: {
        "routes/api.wait": {
          path: "api/wait",
          module: {
            loader: ({ request }: { request: Request }) =>
              new Promise<Response>((resolve) => {
                arrived();
                const timer = setTimeout(() => (seen.push("loader timed out"), resolve(new Response("late"))), 5_000);
                request.signal.addEventListener("abort", () => (clearTimeout(timer), seen.push("loader released"), resolve(new Response("gone"))));
              }),
          },
        },
        "routes/api.write": {
          path: "api/write",
          module: {
            action: async ({ request }: { request: Request }) => {
              arrived();
              await new Promise((resolve) => setTimeout(resolve, 300));
              seen.push(request.signal.aborted ? "write aborted" : "write finished");
              finishWrite();
              return new Response(null, { status: 204 });
            },
          },
        },
      },
    };
    const direct = createDirectHandler(build, "http://localhost");
    const server = http.createServer((req, res) => void direct(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const leave = (path: string, init: RequestInit = {}) => {
        const client = new AbortController();
        arrived = () => setTimeout(() => client.abort(), 20);
        return fetch(`${base}${path}`, { ...init, signal: client.signal }).catch((error: Error) => error.name);
      };
      expect(await leave("/api/wait")).toBe("AbortError");
      expect(await leave("/api/write", { method: "POST", body: "{}" })).toBe("AbortError");
      await writeDone;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(seen.sort()).toEqual(["loader released", "write finished"]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
