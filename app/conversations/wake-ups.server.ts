// "Something happened": how a waiting long-poll learns of a new message at once instead of on
// its next poll. Waiters listen on channels — an app (team inboxes), a conversation, a
// contact (widgets) — so a message wakes only those it may concern. An announcement goes
// through the database seam's notify (docs/decisions/024): in this process at once, and on
// PostgreSQL to every other instance too, so a reply written through one instance wakes a
// widget waiting on another. A waiter that still misses one sees the message when its wait
// ends and it reads again. Why long-polling: docs/decisions/006-conversations-long-polling.md.
import { sql } from "../db.server";
import type { Sql } from "../db/sql.server";

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

/**
 * Wakes the waiters of these channels on every instance (they re-read; the read decides what is
 * new for whom). Inside a transaction, pass it as `db`: they wake once it has committed.
 */
export function announce(names: string[], db: Sql = sql): void {
  db.notify(names);
}

/** Wakes this process's waiters of these channels; `null`: every waiter (something may have been missed). */
function wake(names: string[] | null): void {
  const woken = new Set<Waiter>();
  if (names === null) for (const set of channels.values()) for (const waiter of set) woken.add(waiter);
  else for (const name of names) for (const waiter of channels.get(name) ?? []) woken.add(waiter);
  for (const waiter of woken) waiter();
}

sql.listen(wake);

/** The channels a change to this conversation concerns. */
export function conversationChannels(conversation: { appId: number; id: string; contactId: number | null; visitorId: string | null }): string[] {
  const names = [appChannel(conversation.appId), conversationChannel(conversation.id)];
  if (conversation.contactId !== null) names.push(contactChannel(conversation.appId, conversation.contactId));
  if (conversation.visitorId !== null) names.push(visitorChannel(conversation.appId, conversation.visitorId));
  return names;
}

/** After a transaction that wrote to the conversation has committed: wake whoever waits on it. */
export function announceConversation(conversation: { appId: number; id: string; contactId: number | null; visitorId: string | null }): void {
  announce(conversationChannels(conversation));
}
