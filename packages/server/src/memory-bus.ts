import { type Bus, type BusListener, type Logger, silentLogger } from '@roomcast/protocol';

export interface MemoryBusOptions {
  /** Where a listener that throws is reported (the other listeners still get the message). */
  logger?: Logger;
}

/**
 * The embedded Bus: one process, no network. Delivery is asynchronous (a microtask) like a real
 * bus, so code that works on it does not depend on synchronous delivery that Redis won't give.
 * A message goes to the channel's listeners at delivery time; after close() nothing is delivered.
 *
 * @example
 * const server = new WebSocketServer({ bus: new MemoryBus() }); // the default when no bus is given
 */
export class MemoryBus implements Bus {
  readonly connected = true;
  readonly #listeners = new Map<string, Set<BusListener>>();
  readonly #logger: Logger;
  #closed = false;

  constructor(options: MemoryBusOptions = {}) {
    this.#logger = options.logger ?? silentLogger;
  }

  async publish(channel: string, payload: string): Promise<void> {
    if (this.#closed || !this.#listeners.has(channel)) return;
    queueMicrotask(() => this.#deliver(channel, payload));
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
    this.#closed = true;
    this.#listeners.clear();
  }

  #deliver(channel: string, payload: string): void {
    // A copy: a listener that unsubscribes during delivery must not make the loop skip the next.
    for (const listener of [...(this.#listeners.get(channel) ?? [])]) {
      try {
        const result: unknown = listener(payload, channel);
        // An async listener's rejection is caught too, so it cannot crash the process.
        if (result instanceof Promise) result.catch(error => this.#listenerFailed(error, channel));
      } catch (error) {
        this.#listenerFailed(error, channel);
      }
    }
  }

  #listenerFailed(error: unknown, channel: string): void {
    this.#logger.error(
      { err: error, channel },
      'MemoryBus: a listener threw; the others still got the message',
    );
  }
}
