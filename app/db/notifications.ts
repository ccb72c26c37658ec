// What the seam's notify/listen carry: channel names, each meaning "this changed, read it again"
// (a conversation's messages, the apps cache, a shop's sessions). Never the data itself: a
// listener re-reads, so a duplicate or a spurious message costs a read, and a lost one only
// delays what a timeout or a TTL catches anyway (docs/decisions/024).

/**
 * Hears the channels one commit named. `null`: messages may have been missed (the connection that
 * hears other instances was lost and is back), so anything may have changed.
 */
export type ChannelListener = (channels: string[] | null) => void;

/** The process's listeners, each called in turn; one that throws does not stop the others. */
export class Listeners {
  private listeners = new Set<ChannelListener>();

  add(listener: ChannelListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  deliver(channels: string[] | null): void {
    for (const listener of this.listeners) {
      try {
        listener(channels);
      } catch (error) {
        console.error("[notify] a listener failed:", error);
      }
    }
  }
}
