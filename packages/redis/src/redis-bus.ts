import { type Bus, type BusListener, type BusStats, TransportBus } from '@roomcast/protocol';
import { type RedisBusOptions, resolveBusOptions } from './redis-bus-options';
import { RedisTransport } from './redis-transport';

/**
 * What a RedisBus counted: publishes Redis accepted, messages that arrived on this bus's prefix
 * (listened to or not, also per logical channel), publishes dropped and pending.
 */
export type RedisBusStats = BusStats;

/**
 * The Bus over Redis pub/sub: `<prefix><channel>` on Redis, one SUBSCRIBE per channel that has
 * listeners here, SSUBSCRIBE/SPUBLISH on a Cluster. Delivery is at most once. While Redis is
 * unreachable, `connected` is false and publishes wait in a bounded queue (oldest dropped first),
 * sent in order once both connections are back and every subscription is restored.
 *
 * The Redis work is `RedisTransport`'s; listeners, the queue, status and error isolation are the
 * transport-neutral core's (`TransportBus` in `@roomcast/protocol`).
 *
 * @example
 * const bus = new RedisBus({ connection: { host: '127.0.0.1', port: 6379 }, appName: 'chat' });
 * await bus.subscribe(BusChannel.room('general'), payload => console.log(payload));
 * await bus.publish(BusChannel.room('general'), '{"type":"chat","action":"message"}');
 * await bus.close();
 */
export class RedisBus implements Bus {
  readonly #core: TransportBus;

  constructor(options: RedisBusOptions) {
    const resolved = resolveBusOptions(options);
    this.#core = new TransportBus(new RedisTransport(resolved), {
      name: 'RedisBus',
      peer: 'Redis',
      maxPendingPublishes: resolved.maxPendingPublishes,
      logger: resolved.logger,
    });
  }

  get connected(): boolean {
    return this.#core.connected;
  }

  get stats(): RedisBusStats {
    return this.#core.stats;
  }

  publish(channel: string, payload: string): Promise<void> {
    return this.#core.publish(channel, payload);
  }

  subscribe(channel: string, listener: BusListener): Promise<void> {
    return this.#core.subscribe(channel, listener);
  }

  unsubscribe(channel: string, listener: BusListener): Promise<void> {
    return this.#core.unsubscribe(channel, listener);
  }

  onStatusChange(listener: (connected: boolean) => void): () => void {
    return this.#core.onStatusChange(listener);
  }

  close(): Promise<void> {
    return this.#core.close();
  }
}
