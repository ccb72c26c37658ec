import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript, startServer, type RunningServer } from "../support/server";

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

    it("rejects the same webhook signed with another secret", async () => {
      const result = await runScript(["scripts/webhook-trigger.ts", "shop/redact", "--url", server.url, "--secret", "wrong"]);
      expect(result.stdout).toMatch(/401 Unauthorized/);
      expect(result.code).toBe(1);
    });

    it("lists every topic it can sign", async () => {
      const result = await runScript(["scripts/webhook-trigger.ts", "--list"]);
      expect(result.stdout.trim().split("\n")).toEqual(expect.arrayContaining(["app/uninstalled", "customers/redact", "shop/redact"]));
    });
  });
});
