// Whether this instance is draining (server/http-server.ts on SIGTERM: it stops accepting, lets in-flight
// requests finish and closes the databases), and the long-polls that answer the moment it starts:
// their clients poll again, on another instance.
import { longPollWaiters } from "./metrics.server";
import { logger } from "./log.server";

let draining = false;
const waiting = new Set<() => void>();
const drainListeners = new Set<() => void>();

export const isDraining = (): boolean => draining;

/** Starts draining: /readyz answers 503, waiting long-polls answer now, onDrain listeners run. */
export function startDraining(): void {
  if (draining) return;
  draining = true;
  for (const release of waiting) release();
  for (const listener of drainListeners) {
    try {
      listener();
    } catch (error) {
      logger.error({ err: error }, "a drain listener failed");
    }
  }
}

/** Runs `listener` when this instance starts draining (periodic work stops scheduling, for example). */
export function onDrain(listener: () => void): () => void {
  drainListeners.add(listener);
  return () => drainListeners.delete(listener);
}

export type LongPollEndpoint = "widget" | "inbox";

/**
 * Runs a long-poll's wait with a signal that aborts when its client leaves (`signal`) or when
 * this instance starts draining, counting it among the waiters meanwhile.
 */
export async function holdLongPoll<T>(signal: AbortSignal, endpoint: LongPollEndpoint, wait: (signal: AbortSignal) => Promise<T>): Promise<T> {
  // A controller of its own, its listeners removed once the wait ends: nothing that lives as
  // long as the process keeps a reference to a finished request.
  const controller = new AbortController();
  const release = () => controller.abort();
  if (draining || signal.aborted) release();
  signal.addEventListener("abort", release);
  waiting.add(release);
  longPollWaiters.inc({ endpoint });
  try {
    return await wait(controller.signal);
  } finally {
    longPollWaiters.dec({ endpoint });
    waiting.delete(release);
    signal.removeEventListener("abort", release);
  }
}
