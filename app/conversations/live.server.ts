// "Something happened": how a waiting long-poll learns of a new message at once instead of on
// its next poll. Waiters listen on channels — an app (team inboxes), a conversation, a
// contact (widgets) — so a message wakes only those it may concern. In-process (one server);
// a waiter that misses a message written by another instance still sees it when its wait
// ends and it reads again. Why long-polling: docs/decisions/006-conversations-long-polling.md.
type Waiter = () => void;

const channels = new Map<string, Set<Waiter>>();

export const appChannel = (appId: number) => `app:${appId}`;
export const conversationChannel = (conversationId: string) => `conversation:${conversationId}`;
export const contactChannel = (appId: number, contactId: number) => `contact:${appId}:${contactId}`;
export const visitorChannel = (appId: number, visitorId: string) => `visitor:${appId}:${visitorId}`;

export type Subscription = { wait(ms: number, signal?: AbortSignal | null): Promise<boolean>; close(): void };

/**
 * Subscribe before reading, then wait only if the read found nothing: a message written
 * between the read and the wait is not missed.
 */
export function subscribe(names: string[]): Subscription {
  let fired = false;
  let wake: (() => void) | null = null;
  const waiter: Waiter = () => {
    fired = true;
    wake?.();
  };
  for (const name of names) {
    let set = channels.get(name);
    if (!set) channels.set(name, (set = new Set()));
    set.add(waiter);
  }
  return {
    close() {
      for (const name of names) {
        const set = channels.get(name);
        set?.delete(waiter);
        if (set?.size === 0) channels.delete(name);
      }
    },
    wait(ms, signal) {
      if (fired || signal?.aborted) return Promise.resolve(fired);
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

/** Wakes the waiters of these channels (they re-read; the read decides what is new for whom). */
export function announce(names: string[]): void {
  const woken = new Set<Waiter>();
  for (const name of names) for (const waiter of channels.get(name) ?? []) woken.add(waiter);
  for (const waiter of woken) waiter();
}

/** The channels a change to this conversation concerns. */
export function conversationChannels(conversation: { appId: number; id: string; contactId: number | null; visitorId: string | null }): string[] {
  const names = [appChannel(conversation.appId), conversationChannel(conversation.id)];
  if (conversation.contactId !== null) names.push(contactChannel(conversation.appId, conversation.contactId));
  if (conversation.visitorId !== null) names.push(visitorChannel(conversation.appId, conversation.visitorId));
  return names;
}

export const waitingCount = () => new Set([...channels.values()].flatMap((set) => [...set])).size;
