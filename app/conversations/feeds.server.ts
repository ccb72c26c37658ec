// Long-polls: read; when nothing is new, wait for the app's next message (or the timeout)
// and read again. A fresh subscription per round, taken before the read, so nothing written
// between the read and the wait is missed.
import type { ConvotApp } from "../convot/apps.server";
import { latestMessageId, widgetState, type WidgetState } from "./conversations.server";
import { subscribe } from "./live.server";
import type { Visitor } from "./visitor-token";

async function poll<T>(appId: number, waitMs: number, signal: AbortSignal | null | undefined, read: () => Promise<T>, isNews: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const subscription = subscribe(appId);
    try {
      const value = await read();
      const remaining = deadline - Date.now();
      if (isNews(value) || remaining <= 0 || signal?.aborted) return value;
      if (!(await subscription.wait(remaining, signal))) return read();
    } finally {
      subscription.close();
    }
  }
}

/** The visitor's messages after `after`, waiting up to `waitMs` for one. */
export function waitForWidgetState(app: ConvotApp, visitor: Visitor, after: number, waitMs: number, signal?: AbortSignal | null): Promise<WidgetState> {
  return poll(app.id, waitMs, signal, () => widgetState(app, visitor, after), (state) => state.messages.length > 0);
}

/** The app's newest message id once it passes `after` (a team inbox's cue to refresh). */
export function waitForAppActivity(appId: number, after: number, waitMs: number, signal?: AbortSignal | null): Promise<number> {
  return poll(appId, waitMs, signal, () => latestMessageId(appId), (latest) => latest > after);
}
