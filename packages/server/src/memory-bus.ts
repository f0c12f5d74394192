import type { Bus, BusListener } from '@roomcast/protocol';

/**
 * The embedded Bus: one process, no network. Delivery is asynchronous (a microtask) like a real
 * bus, so code that works on it does not depend on synchronous delivery that Redis won't give.
 *
 * @example
 * const server = new WebSocketServer({ bus: new MemoryBus() }); // the default when no bus is given
 */
export class MemoryBus implements Bus {
  readonly connected = true;
  readonly #listeners = new Map<string, Set<BusListener>>();

  async publish(channel: string, payload: string): Promise<void> {
    const listeners = this.#listeners.get(channel);
    if (!listeners) return;
    queueMicrotask(() => {
      for (const listener of listeners) listener(payload, channel);
    });
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    let listeners = this.#listeners.get(channel);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(channel, listeners);
    }
    listeners.add(listener);
  }

  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    const listeners = this.#listeners.get(channel);
    listeners?.delete(listener);
    if (listeners?.size === 0) this.#listeners.delete(channel);
  }

  onStatusChange(): () => void {
    return () => {};
  }

  /** Channels with at least one listener (for tests and health). */
  get channels(): string[] {
    return [...this.#listeners.keys()];
  }

  async close(): Promise<void> {
    this.#listeners.clear();
  }
}
