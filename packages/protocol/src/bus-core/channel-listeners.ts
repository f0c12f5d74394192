import type { BusListener } from '../bus';

/**
 * The listeners of each logical channel. A channel is subscribed on the transport while it has at
 * least one listener: `add` says when a channel gains its first, `remove` when it loses its last.
 */
export class ChannelListeners {
  readonly #listeners = new Map<string, Set<BusListener>>();

  /** Adds a listener (once: adding the same function twice keeps one). True for a new channel. */
  add(channel: string, listener: BusListener): boolean {
    const listeners = this.#listeners.get(channel);
    if (listeners) {
      listeners.add(listener);
      return false;
    }
    this.#listeners.set(channel, new Set([listener]));
    return true;
  }

  /** Removes a listener. True when it was the channel's last one. */
  remove(channel: string, listener: BusListener): boolean {
    const listeners = this.#listeners.get(channel);
    if (!listeners?.delete(listener)) return false;
    if (listeners.size > 0) return false;
    this.#listeners.delete(channel);
    return true;
  }

  /** How many channels have listeners. */
  get size(): number {
    return this.#listeners.size;
  }

  /**
   * A copy of the channel's listeners: a listener that unsubscribes while a message is being
   * delivered must not make the loop skip the next one.
   */
  listeners(channel: string): BusListener[] {
    const listeners = this.#listeners.get(channel);
    return listeners ? [...listeners] : [];
  }

  channels(): string[] {
    return [...this.#listeners.keys()];
  }

  clear(): void {
    this.#listeners.clear();
  }
}
