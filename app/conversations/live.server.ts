// "Something happened in this app's conversations": how a waiting long-poll learns of a new
// message at once instead of on its next poll. In-process (one server); a waiter that misses
// a message written by another instance still sees it when its wait times out and it reads
// again. Why long-polling: docs/decisions/006-conversations-long-polling.md.
type Waiter = () => void;

const waiters = new Map<number, Set<Waiter>>();

export type Subscription = { wait(ms: number, signal?: AbortSignal | null): Promise<boolean>; close(): void };

/**
 * Subscribe before reading, then wait only if the read found nothing: a message written
 * between the read and the wait is not missed.
 */
export function subscribe(appId: number): Subscription {
  let fired = false;
  let wake: (() => void) | null = null;
  const waiter: Waiter = () => {
    fired = true;
    wake?.();
  };
  let set = waiters.get(appId);
  if (!set) waiters.set(appId, (set = new Set()));
  set.add(waiter);
  const close = () => {
    set!.delete(waiter);
    if (set!.size === 0 && waiters.get(appId) === set) waiters.delete(appId);
  };
  return {
    close,
    wait(ms, signal) {
      if (fired) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const done = (value: boolean) => {
          clearTimeout(timer);
          signal?.removeEventListener("abort", aborted);
          wake = null;
          resolve(value);
        };
        const aborted = () => done(false);
        const timer = setTimeout(() => done(false), ms);
        wake = () => done(true);
        signal?.addEventListener("abort", aborted, { once: true });
      });
    },
  };
}

/** Wakes every waiter of the app (they re-read; the read decides what is new for whom). */
export function announce(appId: number): void {
  const set = waiters.get(appId);
  if (set) for (const waiter of [...set]) waiter();
}

export const waitingCount = () => [...waiters.values()].reduce((n, set) => n + set.size, 0);
