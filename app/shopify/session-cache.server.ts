// Shopify sessions, read through a short in-memory cache in front of the Prisma storage.
// authenticate.webhook and authenticate.admin load the shop's session on every call; with
// Prisma's JS engine that lookup was ~44% of a webhook's cost (docs/decisions/040).
// A write or delete, through this storage or by shop (sessions.server.ts), clears the entry on
// every instance through the database seam's notify (docs/decisions/024); SESSION_CACHE_MS
// bounds what a lost notification leaves behind.
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { Sql } from "../db/sql.server";

export const SESSION_CACHE_MS = 30_000;
const MAX_ENTRIES = 50_000;

/** Changed: the session with this id. */
export const sessionChannel = (id: string) => `cache:session:${id}`;
/** Changed: every session of this shop. */
export const shopSessionsChannel = (shop: string) => `cache:shop-sessions:${shop}`;
const SESSION_PREFIX = sessionChannel("");
const SHOP_PREFIX = shopSessionsChannel("");

type Entry = { session: Session | undefined; until: number };

export class CachedSessionStorage<Inner extends SessionStorage> implements SessionStorage {
  private cache = new Map<string, Entry>();
  // Bumped by every change: a load that was under way meanwhile may have read the row as it was
  // before, so what it found is returned but not remembered.
  private generation = 0;

  constructor(
    readonly inner: Inner,
    private readonly db: Pick<Sql, "notify" | "listen">,
    private ttlMs = SESSION_CACHE_MS,
  ) {
    db.listen((channels) => this.forget(channels));
  }

  private forget(channels: string[] | null) {
    if (channels === null) {
      this.generation++;
      this.cache.clear();
      return;
    }
    for (const channel of channels) {
      if (channel.startsWith(SESSION_PREFIX)) {
        this.generation++;
        this.cache.delete(channel.slice(SESSION_PREFIX.length));
      } else if (channel.startsWith(SHOP_PREFIX)) {
        this.generation++;
        const shop = channel.slice(SHOP_PREFIX.length);
        for (const [id, entry] of this.cache) if (entry.session?.shop === shop || id.includes(shop)) this.cache.delete(id);
      }
    }
  }

  private remember(id: string, session: Session | undefined) {
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(id, { session, until: Date.now() + this.ttlMs });
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const entry = this.cache.get(id);
    if (entry && entry.until > Date.now()) return entry.session;
    const before = this.generation;
    const session = await this.inner.loadSession(id);
    if (this.generation === before) this.remember(id, session);
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    this.generation++;
    const stored = await this.inner.storeSession(session);
    this.db.notify([sessionChannel(session.id)]);
    if (stored) this.remember(session.id, session);
    return stored;
  }

  async deleteSession(id: string): Promise<boolean> {
    this.generation++;
    this.cache.delete(id);
    const deleted = await this.inner.deleteSession(id);
    this.db.notify([sessionChannel(id)]);
    return deleted;
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    this.generation++;
    for (const id of ids) this.cache.delete(id);
    const deleted = await this.inner.deleteSessions(ids);
    this.db.notify(ids.map(sessionChannel));
    return deleted;
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
