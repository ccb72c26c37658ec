// Long-polls: read; when nothing is new, subscribe, read again (so nothing written in between
// is missed), wait for a wake-up on the reader's channels (or the timeout), and read again.
import type { ConvotApp } from "../apps/apps.server";
import { latestMessageId } from "./messages.server";
import { appChannel, contactChannel, conversationChannel, subscribe, visitorChannel } from "./wake-ups.server";
import { widgetState, type WidgetState } from "./visitor-actions.server";
import type { Visitor } from "./visitor-token";

async function poll<T>(
  waitMs: number,
  signal: AbortSignal | null | undefined,
  read: () => Promise<T>,
  isNews: (value: T) => boolean,
  channelsOf: (value: T) => string[],
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let value = await read();
  for (;;) {
    const remaining = deadline - Date.now();
    if (isNews(value) || remaining <= 0 || signal?.aborted) return value;
    const subscription = subscribe(channelsOf(value));
    try {
      value = await read();
      if (isNews(value)) return value;
      if (!(await subscription.wait(remaining, signal))) return read();
    } finally {
      subscription.close();
    }
    value = await read();
  }
}

/** The visitor's messages after `after`, waiting up to `waitMs` for one. */
export function waitForWidgetState(
  app: ConvotApp,
  visitor: Visitor,
  after: number,
  waitMs: number,
  signal?: AbortSignal | null,
): Promise<WidgetState> {
  return poll(
    waitMs,
    signal,
    () => widgetState(app, visitor, after),
    (state) => state.messages.length > 0,
    // Woken by its conversation, by anything for its contact (a conversation started or moved
    // to it), or by its own visitor id (another tab).
    (state) => [
      ...(state.conversation ? [conversationChannel(state.conversation.id)] : []),
      ...(visitor.contactId !== null ? [contactChannel(app.id, visitor.contactId)] : []),
      visitorChannel(app.id, visitor.visitorId),
    ],
  );
}

/** The app's newest message id once it passes `after` (a team inbox's cue to refresh). */
export function waitForAppActivity(appId: number, after: number, waitMs: number, signal?: AbortSignal | null): Promise<number> {
  return poll(
    waitMs,
    signal,
    () => latestMessageId(appId),
    (latest) => latest > after,
    () => [appChannel(appId)],
  );
}
