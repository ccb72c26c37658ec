// The PostgreSQL engine's notify/listen: how the instances of one deployment tell each other
// what changed. A notification is delivered in its own process at once and to the others
// through PostgreSQL's NOTIFY, sent after the commit; each process hears them on one connection
// of its own that LISTENs (and sends), re-established with backoff when it is lost (docs/decisions/024).
import { randomBytes } from "node:crypto";
import { setImmediate } from "node:timers";
import pg from "pg";
import { Listeners, type ChannelListener } from "../notifications";

/** The one PostgreSQL channel every instance listens on; the payload names the app's channels. */
export const PG_CHANNEL = "convot";
/** PostgreSQL refuses payloads of 8,000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7_500;
/** Waits between tries to listen again; the last one repeats. */
const RECONNECT_MS = [100, 250, 500, 1_000, 2_000, 5_000];
/** How often the listening connection proves it is alive: a dead peer may never close it. */
const PING_MS = 15_000;

export type Payload = { from: string; channels: string[] };

/** The payloads for `channels`, each under PostgreSQL's limit. */
export function payloads(from: string, channels: string[]): string[] {
  const out: string[] = [];
  let batch: string[] = [];
  let size = 0;
  for (const channel of channels) {
    const cost = Buffer.byteLength(JSON.stringify(channel)) + 1;
    if (batch.length > 0 && size + cost > MAX_PAYLOAD_BYTES) {
      out.push(JSON.stringify({ from, channels: batch } satisfies Payload));
      batch = [];
      size = 0;
    }
    batch.push(channel);
    size += cost;
  }
  if (batch.length > 0) out.push(JSON.stringify({ from, channels: batch } satisfies Payload));
  return out;
}

export class PostgresNotifications {
  /** This process among the instances: its own notifications come back to it, and are skipped. */
  readonly from = randomBytes(8).toString("hex");
  private listeners = new Listeners();
  private pending = new Set<string>();
  private flushScheduled = false;
  private started = false;
  private closed = false;
  private connectedOnce = false;
  private failures = 0;
  private client: pg.Client | null = null;
  private ping: NodeJS.Timeout | null = null;
  private heard!: () => void;
  private readonly ready = new Promise<void>((resolve) => (this.heard = resolve));

  constructor(
    private readonly url: string,
    private readonly pool: pg.Pool,
  ) {}

  /**
   * Delivers `channels` here at once, and to the other instances with the turn's other
   * notifications in one NOTIFY (a message names each channel once however often it changed).
   * Call it after the commit: a NOTIFY sent earlier could reach an instance that then reads
   * the row as it was.
   */
  notify(channels: string[]): void {
    if (channels.length === 0) return;
    this.listeners.deliver(channels);
    for (const channel of channels) this.pending.add(channel);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  private flush() {
    this.flushScheduled = false;
    const channels = [...this.pending];
    this.pending.clear();
    if (this.closed) return;
    // On the listening connection while it is up: idle, it sends at once even when every pooled
    // connection is busy (its own message comes back to it, and is skipped).
    const runner = this.client ?? this.pool;
    for (const payload of payloads(this.from, channels)) {
      // Lost (the database unreachable): the other instances' waits and TTLs catch up.
      runner.query("SELECT pg_notify($1, $2)", [PG_CHANNEL, payload]).catch((error) => {
        console.error("[notify] could not tell the other instances:", error);
      });
    }
  }

  listen(listener: ChannelListener): () => void {
    const remove = this.listeners.add(listener);
    this.start();
    return remove;
  }

  /** Resolves once this process hears the other instances (never, while it cannot connect). */
  listening(): Promise<void> {
    this.start();
    return this.ready;
  }

  private start() {
    if (this.started || this.closed) return;
    this.started = true;
    void this.connect();
  }

  private async connect(): Promise<void> {
    // query_timeout: a ping over a connection whose peer vanished fails instead of waiting forever.
    const client = new pg.Client({ connectionString: this.url, keepAlive: true, query_timeout: 10_000 });
    let lost = false;
    const onLost = (error?: unknown) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = null;
      if (this.ping) clearInterval(this.ping);
      this.ping = null;
      client.end().catch(() => {});
      if (this.closed) return;
      console.error(`[notify] the listening connection was lost${error ? `: ${(error as Error).message}` : ""}; reconnecting`);
      const delay = RECONNECT_MS[Math.min(this.failures++, RECONNECT_MS.length - 1)];
      setTimeout(() => void this.connect(), delay).unref();
    };
    client.on("error", onLost);
    client.on("end", () => onLost());
    client.on("notification", (message) => this.received(message.payload));
    try {
      await client.connect();
      await client.query(`LISTEN ${PG_CHANNEL}`);
    } catch (error) {
      onLost(error);
      return;
    }
    if (this.closed) {
      lost = true;
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.failures = 0;
    this.ping = setInterval(() => client.query("SELECT 1").catch(onLost), PING_MS);
    this.ping.unref();
    // Whatever was said while nobody here listened is lost: every listener reads again.
    if (this.connectedOnce) this.listeners.deliver(null);
    this.connectedOnce = true;
    this.heard();
  }

  private received(text: string | undefined) {
    let payload: Payload;
    try {
      payload = JSON.parse(text ?? "");
    } catch {
      return;
    }
    if (payload.from === this.from || !Array.isArray(payload.channels)) return;
    this.listeners.deliver(payload.channels.filter((channel) => typeof channel === "string"));
  }

  /** For tests: cuts the listening connection's socket, as a network failure would. */
  dropConnection(): void {
    (this.client as unknown as { connection?: { stream?: { destroy(): void } } } | null)?.connection?.stream?.destroy();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.ping) clearInterval(this.ping);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }
}
