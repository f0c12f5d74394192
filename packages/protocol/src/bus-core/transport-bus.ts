import type { Bus, BusListener } from '../bus';
import type { Logger } from '../contracts';
import { ChannelListeners } from './channel-listeners';
import { PendingPublishes } from './pending-publishes';
import type { BusTransport, TransportSink } from './transport';
import { type BusStats, resolveTransportBusOptions, type TransportBusOptions } from './transport-bus-options';

/**
 * The transport-neutral Bus: listeners counted per channel (the first subscribes the node, the
 * last unsubscribes it), publishes kept in a bounded queue while the transport is down and sent
 * in order once it is back and its subscriptions are restored, status changes fanned out, and a
 * listener that throws or rejects kept away from the others. A transport only moves payloads.
 *
 * @example
 * const bus = new TransportBus(new NatsTransport(connection), { name: 'NatsBus', peer: 'NATS', logger });
 * await bus.subscribe(BusChannel.room('general'), payload => render(payload));
 * await bus.publish(BusChannel.room('general'), '{"type":"chat","action":"message"}');
 */
export class TransportBus implements Bus {
  readonly #transport: BusTransport;
  readonly #name: string;
  readonly #peer: string;
  readonly #logger: Logger;
  readonly #maxPending: number;
  readonly #listeners = new ChannelListeners();
  readonly #pending: PendingPublishes;
  readonly #statusListeners = new Set<(connected: boolean) => void>();
  readonly #receivedByChannel = new Map<string, number>();
  /** Bumped on every up and down, so a restore that outlived its connection is ignored. */
  #epoch = 0;
  #connected: boolean;
  #closed = false;
  #published = 0;
  #received = 0;
  #failed = 0;
  #overflowLogged = false;

  constructor(transport: BusTransport, options: TransportBusOptions = {}) {
    const resolved = resolveTransportBusOptions(transport, options);
    this.#transport = transport;
    this.#name = resolved.name;
    this.#peer = resolved.peer;
    this.#logger = resolved.logger;
    this.#maxPending = resolved.maxPendingPublishes;
    this.#pending = new PendingPublishes(resolved.maxPendingPublishes);
    this.#connected = resolved.startConnected;
    const sink: TransportSink = {
      up: () => this.#up(),
      down: () => this.#down(),
      deliver: (channel, payload) => this.#deliver(channel, payload),
    };
    transport.open(sink);
  }

  get connected(): boolean {
    return this.#connected;
  }

  /** True once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  get stats(): BusStats {
    return {
      published: this.#published,
      received: this.#received,
      dropped: this.#pending.dropped + this.#failed,
      pending: this.#pending.size,
      receivedByChannel: new Map(this.#receivedByChannel),
    };
  }

  /** The logical channels that have at least one listener. */
  channels(): string[] {
    return this.#listeners.channels();
  }

  async publish(channel: string, payload: string): Promise<void> {
    this.#checkChannel(channel);
    if (typeof payload !== 'string') {
      throw new TypeError(
        `${this.#name}.publish: payload must be a string (serialize it once, before publishing).`,
      );
    }
    if (this.#closed) throw new Error(`${this.#name}.publish: the bus is closed.`);
    if (this.#connected) return this.#send(channel, payload);
    if (!this.#pending.push({ channel, payload }) && !this.#overflowLogged) {
      this.#overflowLogged = true;
      this.#logger.warn(
        { maxPendingPublishes: this.#maxPending },
        `${this.#name}: pending publishes are full while ${this.#peer} is down; dropping the oldest`,
      );
    }
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    this.#checkChannel(channel);
    if (typeof listener !== 'function') {
      throw new TypeError(`${this.#name}.subscribe: listener must be a function (payload, channel) => void.`);
    }
    if (this.#closed) throw new Error(`${this.#name}.subscribe: the bus is closed.`);
    if (!this.#listeners.add(channel, listener)) return;
    try {
      await this.#transport.subscribe([channel]);
    } catch (error) {
      this.#logger.warn(
        { err: error, channel },
        `${this.#name}: subscribe failed; it is retried on reconnect`,
      );
    }
  }

  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    if (!this.#listeners.remove(channel, listener)) return;
    try {
      await this.#transport.unsubscribe([channel]);
    } catch (error) {
      this.#logger.debug(
        { err: error, channel },
        `${this.#name}: unsubscribe failed; it is retried on reconnect`,
      );
    }
  }

  onStatusChange(listener: (connected: boolean) => void): () => void {
    this.#statusListeners.add(listener);
    return () => {
      this.#statusListeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#connected = false;
    this.#statusListeners.clear();
    const dropped = this.#pending.discard();
    if (dropped > 0) this.#logger.warn({ dropped }, `${this.#name}: closed with publishes pending; dropped`);
    const channels = this.#listeners.channels();
    this.#listeners.clear();
    await this.#transport.close(channels);
  }

  #up(): void {
    if (this.#closed || this.#connected) return;
    const epoch = ++this.#epoch;
    const ready = () => {
      if (epoch === this.#epoch && !this.#closed) this.#setConnected(true);
    };
    const failed = (error: unknown) => {
      this.#logger.warn({ err: error }, `${this.#name}: restoring subscriptions failed`);
      ready();
    };
    let restoring: Promise<void> | undefined;
    try {
      restoring = this.#transport.restore?.(this.#listeners.channels());
    } catch (error) {
      failed(error);
      return;
    }
    if (restoring) restoring.then(ready, failed);
    else ready();
  }

  #down(): void {
    if (this.#closed) return;
    this.#epoch++;
    this.#setConnected(false);
  }

  #setConnected(connected: boolean): void {
    if (connected === this.#connected) return;
    this.#connected = connected;
    if (connected) {
      this.#overflowLogged = false;
      const pending = this.#pending.drain();
      // Sent in one tick, in order: a transport writes them to its connection in this order.
      for (const item of pending) void this.#send(item.channel, item.payload);
      this.#logger.info({ flushed: pending.length }, `${this.#name} connected`);
    } else {
      this.#logger.warn(
        { maxPendingPublishes: this.#maxPending },
        `${this.#name} disconnected: publishes are kept until ${this.#peer} is back`,
      );
    }
    for (const listener of [...this.#statusListeners]) {
      try {
        listener(connected);
      } catch (error) {
        this.#logger.error({ err: error }, `${this.#name}: a status listener threw`);
      }
    }
  }

  async #send(channel: string, payload: string): Promise<void> {
    try {
      await this.#transport.publish(channel, payload);
      this.#published++;
    } catch (error) {
      this.#failed++;
      this.#logger.warn({ err: error, channel }, `${this.#name}: publish failed; message dropped`);
    }
  }

  #deliver(channel: string, payload: string): void {
    if (this.#closed) return;
    this.#received++;
    this.#receivedByChannel.set(channel, (this.#receivedByChannel.get(channel) ?? 0) + 1);
    for (const listener of this.#listeners.listeners(channel)) {
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
      `${this.#name}: a listener threw; the others still got the message`,
    );
  }

  #checkChannel(channel: unknown): void {
    if (typeof channel !== 'string' || channel.length === 0) {
      throw new TypeError(
        `${this.#name}: channel must be a non-empty string such as 'room:general'; got ${String(channel)}.`,
      );
    }
  }
}
