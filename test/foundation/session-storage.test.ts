import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { describe, expect, it } from "vitest";
import { ENGINE } from "../support/database";
import { db } from "../support/app";

// The app reads Shopify sessions through its SQL layer and writes them through Shopify's Prisma
// storage: what one writes, the other must read back as the very same Session.
describe(`Shopify session storage (${ENGINE})`, () => {
  const offline = new Session({
    id: "offline_reads.myshopify.com",
    shop: "reads.myshopify.com",
    state: "state-1",
    isOnline: false,
    scope: "read_themes,write_app_proxy",
    expires: new Date("2030-01-02T03:04:05.678Z"),
    accessToken: "shpat_offline",
    refreshToken: "shprt_refresh",
    refreshTokenExpires: new Date("2030-02-03T04:05:06.789Z"),
  });
  const online = new Session({
    id: "reads.myshopify.com_902541635",
    shop: "reads.myshopify.com",
    state: "state-2",
    isOnline: true,
    scope: "read_themes",
    expires: new Date("2029-05-06T07:08:09.000Z"),
    accessToken: "shpua_online",
    onlineAccessInfo: {
      expires_in: 86_399,
      associated_user_scope: "read_themes",
      associated_user: {
        id: 902541635,
        first_name: "Ada",
        last_name: "Lovelace",
        email: "ada@reads.example",
        email_verified: true,
        account_owner: true,
        locale: "en-GB",
        collaborator: false,
      },
    },
  });

  /** The app's storage as Shopify's library sees it: SQL reads behind the session cache. */
  async function cachedStorage() {
    const { prisma, sql } = await db();
    const { SessionStorage } = await import("../../app/shopify/session-storage.server");
    const { CachedSessionStorage } = await import("../../app/shopify/session-cache.server");
    const { deleteSessionsForShop } = await import("../../app/shopify/sessions.server");
    return { sql, storage: new CachedSessionStorage(new SessionStorage(prisma, sql), sql), deleteSessionsForShop };
  }

  it("loads, through SQL, exactly the Session Shopify's Prisma storage stored and loads", async () => {
    const { prisma, sql } = await db();
    const { SessionStorage } = await import("../../app/shopify/session-storage.server");
    const shopifys = new PrismaSessionStorage(prisma);
    const ours = new SessionStorage(prisma, sql);
    for (const session of [offline, online]) {
      expect(await ours.storeSession(session)).toBe(true);
      const viaPrisma = await shopifys.loadSession(session.id);
      const viaSql = await ours.loadSession(session.id);
      expect(viaSql?.constructor.name).toBe("Session"); // (the storage loads the CommonJS build of the class)
      expect(viaSql!.toPropertyArray(true)).toEqual(viaPrisma!.toPropertyArray(true));
      expect(viaSql!.equals(viaPrisma)).toBe(true);
      expect(viaSql!.isActive("read_themes")).toBe(true);
    }
    expect(await ours.loadSession("offline_unknown.myshopify.com")).toBeUndefined();

    // And it is the storage the app's Shopify setup reads through (behind its cache).
    const shopify = (await import("../../app/shopify.server")).default;
    expect((shopify.sessionStorage as unknown as { inner: unknown }).inner).toBeInstanceOf(SessionStorage);
    await ours.deleteSession(offline.id);
    expect(await ours.loadSession(offline.id)).toBeUndefined();
  });

  it("writes a session while other requests' writes are open, without freezing the server", { timeout: 20_000 }, async () => {
    const { prisma, sql } = await db();
    const { SessionStorage } = await import("../../app/shopify/session-storage.server");
    const { updateSessionScopes } = await import("../../app/shopify/sessions.server");
    const ours = new SessionStorage(prisma, sql);
    await ours.storeSession(offline);
    // One turn of the event loop: a request's write through the SQL layer, then Shopify's
    // storage writing a session through Prisma's own connection (a token refresh, scopes_update).
    const started = performance.now();
    const [unit, scopes, stored] = await Promise.all([
      sql.transaction((tx) => tx.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, ["Same Turn", new Date()])),
      updateSessionScopes({ id: offline.id, shop: offline.shop }, "read_themes"),
      ours.storeSession(online),
    ]);
    expect(unit.changes).toBe(1);
    expect(scopes).toBeUndefined();
    expect(stored).toBe(true);
    // (On SQLite, Prisma's write used to wait out its 5 s busy timeout, then fail.)
    expect(performance.now() - started).toBeLessThan(2_500);
    expect((await ours.loadSession(offline.id))?.scope).toBe("read_themes");
  });

  it("does not cache a session that was deleted while it was being loaded", async () => {
    const { sql, storage, deleteSessionsForShop } = await cachedStorage();
    const gone = new Session({ id: "offline_gone.myshopify.com", shop: "gone.myshopify.com", state: "s", isOnline: false, accessToken: "shpat_x" });
    await storage.inner.storeSession(gone);
    // In one turn: a request's write, an admin request loading the shop's session, and the
    // app/uninstalled webhook deleting the shop's sessions.
    await Promise.all([
      sql.transaction((tx) => tx.run(`INSERT INTO "Organization" ("name", "createdAt") VALUES (?, ?)`, ["Load", new Date()])),
      storage.loadSession(gone.id),
      sql.transaction((tx) => deleteSessionsForShop(gone.shop, tx)),
    ]);
    // The load may have read the row before the delete (on SQLite it does), but the cache does
    // not serve it for the next 30 s.
    expect(await storage.loadSession(gone.id)).toBeUndefined();
  });

  it("does not cache a session that a webhook is deleting, when another request loads it meanwhile", async () => {
    const { sql, storage, deleteSessionsForShop } = await cachedStorage();
    const stale = new Session({
      id: "offline_stale.myshopify.com",
      shop: "stale.myshopify.com",
      state: "s",
      isOnline: false,
      accessToken: "shpat_y",
    });
    await storage.inner.storeSession(stale);
    // app/uninstalled's unit deletes the sessions; before it commits, an admin request for the
    // shop loads its session (the row as last committed).
    let deleted = false;
    const uninstall = sql.transaction(async (tx) => {
      await deleteSessionsForShop(stale.shop, tx);
      deleted = true;
    });
    // (SQLite's unit runs within microtasks; PostgreSQL's needs the event loop to turn.)
    while (!deleted) await (sql.engine === "sqlite" ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, 1)));
    await storage.loadSession(stale.id);
    await uninstall;
    expect(await storage.loadSession(stale.id)).toBeUndefined();
  });
});
