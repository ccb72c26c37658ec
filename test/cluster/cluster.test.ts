// Two instances of the app — two server processes on one PostgreSQL database, as a deployment
// runs them behind a load balancer — behave as one (ADRs 024, 025): a reply written through one
// wakes a widget waiting on the other, a credential changed through one stops working on the
// other, the upkeep runs once per slot, and one webhook's copies split between them make one effect.
// SQLite is one process: there this file has nothing to test.
import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { API_KEY, API_SECRET_KEY, getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, request } from "../support/app";
import { createOperator } from "../support/console";
import { createTestApp, userHash, type TestApp } from "../support/convot";
import { ENGINE, ROOT } from "../support/database";
import { timeline } from "../support/merchants";
import { startServer, type RunningServer } from "../support/server";
import { readTomlApiVersion } from "../../scripts/lib/app-toml";
import { fixturePayload, webhookDelivery } from "../../scripts/lib/shopify-webhook";

const onPostgres = ENGINE === "postgresql";
if (!onPostgres) console.log("test/cluster: skipped on SQLite (one process, nothing to share); it runs in the PostgreSQL pass");

/** The load balancer's URL, the same for both instances (the widget serves the app's own origin). */
const APP_URL = "https://convot-cluster.example";
const UPKEEP_EVERY_SECONDS = 2;

type Call = { status: number; body: any; headers: Headers };
async function call(
  base: string,
  pathname: string,
  init: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`${base}${pathname}`, {
    method: init.method ?? (init.body === undefined ? "GET" : "POST"),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {}
  return { status: response.status, body, headers: response.headers };
}

/** Polls `check` until it holds (resolving with how long that took) or `ms` pass. */
async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const start = performance.now();
  for (;;) {
    if (await check()) return performance.now() - start;
    if (performance.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** An operator signed in to the console of `base`, posting that app's settings forms. */
async function consoleSettings(base: string, app: TestApp) {
  const email = `cluster-${randomUUID()}@convot.example`;
  await createOperator(app.organizationId, email);
  const login = await fetch(`${base}/console/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: "correct horse battery", next: "" }),
  });
  expect(login.status).toBe(302);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const page = await (await fetch(`${base}/console/apps/${app.id}/settings`, { headers: { Cookie: cookie } })).text();
  const csrf = /name="csrf" value="([^"]+)"/.exec(page)![1];
  return async (fields: Record<string, string>) => {
    const response = await fetch(`${base}/console/apps/${app.id}/settings`, {
      method: "POST",
      headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf, ...fields }),
    });
    return response.text();
  };
}

describe.runIf(onPostgres)("two instances on one PostgreSQL database", () => {
  let a: RunningServer;
  let b: RunningServer;

  beforeAll(async () => {
    await request("/"); // this file's database is migrated and holds the configured app
    const env = {
      DATABASE_URL: process.env.DATABASE_URL,
      SHOPIFY_APP_URL: APP_URL,
      UPKEEP_EVERY_SECONDS: String(UPKEEP_EVERY_SECONDS),
      NODE_OPTIONS: `--import ${pathToFileURL(path.join(ROOT, "test/support/shopify-unreachable.mjs")).href}`,
    };
    [a, b] = await Promise.all([startServer(env, 30_000), startServer(env, 30_000)]);
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  // (The timeout outlasts a 25 s wait: without the wake-up the poll still answers, late, and the assertion says so.)
  it("a reply posted through B reaches a widget waiting on A at once, not when its wait ends", { timeout: 60_000 }, async () => {
    const app = await createTestApp();
    const session = await call(a.url, "/api/v1/widget/session", { body: { app_id: app.publicKey, host: APP_URL } });
    expect(session.status).toBe(200);
    const visitor = session.body.visitor_token as string;
    const first = await call(a.url, "/api/v1/widget/messages", { token: visitor, body: { content: "Hello from the storefront" } });
    expect(first.status).toBe(201);
    let after = first.body.message.id as number;
    const latencies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const waiting = call(a.url, `/api/v1/widget/messages?after=${after}&wait=25`, { token: visitor });
      await new Promise((resolve) => setTimeout(resolve, 150)); // parked on A
      const sent = performance.now();
      const reply = await call(b.url, `/api/v1/conversations/${first.body.conversation_id}/messages`, {
        token: app.token,
        body: { content: `Reply ${i} from B` },
      });
      expect(reply.status).toBe(201);
      const state = await waiting;
      latencies.push(performance.now() - sent);
      expect(state.status).toBe(200);
      expect(state.body.messages.map((m: { content: string }) => m.content)).toEqual([`Reply ${i} from B`]);
      after = state.body.messages.at(-1).id;
    }
    console.log(
      `cluster: reply through B → widget waiting on A: ${latencies.map((ms) => ms.toFixed(0)).join(", ")} ms (bench/cluster-latency.ts measures it)`,
    );
    // Before the instances told each other, the widget heard only when its 25 s wait ended.
    expect(Math.max(...latencies)).toBeLessThan(5_000);
  });

  it("a secret rotated and an API key revoked through A's console stop working on B within a second or so", async () => {
    const app = await createTestApp();
    const identify = (secret: string, id: string) =>
      call(b.url, "/api/v1/identify", { body: { app_id: app.publicKey, external_id: id, user_hash: userHash(secret, id) } });
    expect((await identify(app.identitySecret, "user-1")).body.verified).toBe(true); // B has the app cached
    expect((await call(b.url, "/api/v1/contacts", { token: app.token })).status).toBe(200);

    const post = await consoleSettings(a.url, app);
    const rotated = await post({ intent: "rotate-secret", confirm: "rotate" });
    const secret = /data-testid="identity-secret">([0-9a-f]{64})</.exec(rotated)![1];
    expect(secret).not.toBe(app.identitySecret);
    const tookRotation = await within(3_000, async () => (await identify(app.identitySecret, "user-2")).body.verified === false);
    expect((await identify(secret, "user-3")).body.verified).toBe(true);

    const keyId = /^ck_([^:]+):/.exec(app.token)![1];
    await post({ intent: "revoke-key", keyId });
    const tookRevocation = await within(3_000, async () => (await call(b.url, "/api/v1/contacts", { token: app.token })).status === 401);
    console.log(`cluster: rotation seen on B after ≤ ${tookRotation.toFixed(0)} ms, revocation after ≤ ${tookRevocation.toFixed(0)} ms`);
  });

  it("a shop uninstalled through A stops authenticating with its deleted session on B", async () => {
    const shop = `cluster-${Date.now()}.myshopify.com`;
    const { prisma } = await db();
    await prisma.session.create({
      data: { id: `offline_${shop}`, shop, state: "", accessToken: "shpat_cluster", scope: "read_themes", expires: new Date(Date.now() + 3_600_000) },
    });
    const { token } = await getJwt(shop.replace(".myshopify.com", ""), API_KEY, API_SECRET_KEY);
    // (A browser's user agent: the library turns bots away.)
    const admin = () => call(b.url, "/app/live?after=0&wait=0", { token, headers: { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" } });
    expect((await admin()).status).toBe(200); // B has the session cached (30 s)

    const delivery = webhookDelivery({ topic: "app/uninstalled", shop, secret: API_SECRET_KEY, apiVersion: readTomlApiVersion() });
    expect((await fetch(`${a.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body })).status).toBe(200);
    expect(await prisma.session.count({ where: { shop } })).toBe(0);
    // Without a session B must ask Shopify again (unreachable here), so it no longer answers 200.
    const took = await within(3_000, async () => (await admin()).status !== 200);
    console.log(`cluster: session deletion seen on B after ≤ ${took.toFixed(0)} ms`);
  });

  it("one delivery's copies posted at once to both instances make one effect", async () => {
    const shop = `cluster-once-${Date.now()}.myshopify.com`;
    const base = (fixturePayload("app_subscriptions/update", shop) as { app_subscription: Record<string, unknown> }).app_subscription;
    const delivery = webhookDelivery({
      topic: "app_subscriptions/update",
      shop,
      secret: API_SECRET_KEY,
      apiVersion: readTomlApiVersion(),
      webhookId: randomUUID(),
      payload: { app_subscription: { ...base, name: "Plus", status: "ACTIVE", updated_at: "2026-11-01T00:00:00Z" } },
    });
    const statuses = await Promise.all(
      [a, b, a, b, a, b].map((server) =>
        fetch(`${server.url}${delivery.path}`, { method: "POST", headers: delivery.headers, body: delivery.body }).then((r) => r.status),
      ),
    );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect((await timeline(shop)).map((e) => e.name)).toEqual(["plan_upgraded"]);
  });

  it("each upkeep job runs once per schedule slot, whichever instance claims it", async () => {
    // Both instances have been up for a few slots by now; wait for a few more.
    await new Promise((resolve) => setTimeout(resolve, 3 * UPKEEP_EVERY_SECONDS * 1000));
    const started = (output: string) => [...output.matchAll(/\[jobs\] ([a-z-]+): running the slot of (\S+) on/g)].map((m) => `${m[1]} ${m[2]}`);
    const runs = [...started(a.output()), ...started(b.output())];
    expect(new Set(runs).size).toBe(runs.length); // no slot ran twice
    const { sql } = await db();
    const rows = await sql.all<{ name: string; slot: Date; outcome: string }>(`SELECT "name", "slot", "outcome" FROM "JobRun"`);
    expect(rows.map((row) => `${row.name} ${new Date(row.slot).toISOString()}`).sort()).toEqual([...runs].sort());
    for (const name of ["trial-sweep", "delivery-log-prune", "search-upkeep", "primary-domains"]) {
      expect(rows.filter((row) => row.name === name).length, name).toBeGreaterThanOrEqual(3);
    }
    expect(rows.filter((row) => row.outcome === "failed")).toEqual([]);
  });
});
