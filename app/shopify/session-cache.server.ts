// Shopify sessions, read through a short in-memory cache in front of the Prisma storage.
// authenticate.webhook and authenticate.admin load the shop's session on every call; with
// Prisma's JS engine that lookup was ~44% of a webhook's cost (docs/decisions/004).
// Writes and deletes through this process update the cache at once; another instance's
// change is seen within SESSION_CACHE_MS.
import type { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";

export const SESSION_CACHE_MS = 30_000;
const MAX_ENTRIES = 50_000;

type Entry = { session: Session | undefined; until: number };
const caches = new Set<Map<string, Entry>>();
// Bumped by every change: a load that was under way meanwhile may have read the row as it was
// before, so what it found is returned but not remembered.
let generation = 0;

/** Drops every cached session of a shop (after this process deleted them outside the storage). */
export function forgetCachedSessions(shop: string): void {
  generation++;
  for (const cache of caches) {
    for (const [id, entry] of cache) if (entry.session?.shop === shop || id.includes(shop)) cache.delete(id);
  }
}

export class CachedSessionStorage<Inner extends SessionStorage> implements SessionStorage {
  private cache = new Map<string, Entry>();

  constructor(
    readonly inner: Inner,
    private ttlMs = SESSION_CACHE_MS,
  ) {
    caches.add(this.cache);
  }

  private remember(id: string, session: Session | undefined) {
    if (this.cache.size >= MAX_ENTRIES) this.cache.clear();
    this.cache.set(id, { session, until: Date.now() + this.ttlMs });
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const entry = this.cache.get(id);
    if (entry && entry.until > Date.now()) return entry.session;
    const before = generation;
    const session = await this.inner.loadSession(id);
    if (generation === before) this.remember(id, session);
    return session;
  }

  async storeSession(session: Session): Promise<boolean> {
    generation++;
    const stored = await this.inner.storeSession(session);
    if (stored) this.remember(session.id, session);
    else this.cache.delete(session.id);
    return stored;
  }

  async deleteSession(id: string): Promise<boolean> {
    generation++;
    this.cache.delete(id);
    return this.inner.deleteSession(id);
  }

  async deleteSessions(ids: string[]): Promise<boolean> {
    generation++;
    for (const id of ids) this.cache.delete(id);
    return this.inner.deleteSessions(ids);
  }

  findSessionsByShop(shop: string): Promise<Session[]> {
    return this.inner.findSessionsByShop(shop);
  }
}
