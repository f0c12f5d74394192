import type { Bus, BusListener } from '../bus';
import { type Logger, silentLogger } from '../contracts';
import type { BusTransport, TransportSink } from './transport';
import { TransportBus } from './transport-bus';

export interface MemoryBusOptions {
  /** Where a listener that throws is reported (the other listeners still get the message). */
  logger?: Logger;
}

/**
 * The in-process transport, the smallest one there is: a message goes to the channels this
 * process listens to, a microtask later. It is never down, so it never reports a status.
 */
function memoryTransport(): BusTransport {
  const subscribed = new Set<string>();
  let sink: TransportSink | undefined;
  return {
    open(given) {
      sink = given;
    },
    async publish(channel, payload) {
      // Like a real bus, a channel nobody listens to when the message is sent never gets it.
      if (!subscribed.has(channel)) return;
      queueMicrotask(() => sink?.deliver(channel, payload));
    },
    async subscribe(channels) {
      for (const channel of channels) subscribed.add(channel);
    },
    async unsubscribe(channels) {
      for (const channel of channels) subscribed.delete(channel);
    },
    async close() {
      subscribed.clear();
    },
  };
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
  /** The in-process bus is always connected (the Bus contract), closed or not. */
  readonly connected = true;
  readonly #core: TransportBus;

  constructor(options: MemoryBusOptions = {}) {
    this.#core = new TransportBus(memoryTransport(), {
      name: 'MemoryBus',
      maxPendingPublishes: 0,
      startConnected: true,
      logger: options.logger ?? silentLogger,
    });
  }

  // Publishing or subscribing on a closed MemoryBus is a no-op, not an error: the server closes
  // its default bus while a handler may still be finishing a broadcast or a join.
  async publish(channel: string, payload: string): Promise<void> {
    if (!this.#core.closed) await this.#core.publish(channel, payload);
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    if (!this.#core.closed) await this.#core.subscribe(channel, listener);
  }

  unsubscribe(channel: string, listener: BusListener): Promise<void> {
    return this.#core.unsubscribe(channel, listener);
  }

  onStatusChange(listener: (connected: boolean) => void): () => void {
    return this.#core.onStatusChange(listener);
  }

  /** Channels with at least one listener (for tests and health). */
  get channels(): string[] {
    return this.#core.channels();
  }

  close(): Promise<void> {
    return this.#core.close();
  }
}
