import type { BusTransport, TransportSink } from '@roomcast/protocol';
import { ChannelSync } from './channel-sync';
import { closeClient, isClusterClient, logClientErrors, type RedisClient } from './clients';
import type { ResolvedBusOptions } from './redis-bus-options';

const DOWN_EVENTS = ['close', 'end', 'reconnecting'] as const;

/**
 * RedisBus's transport: `<prefix><channel>` on Redis, SUBSCRIBE/PUBLISH on one server and
 * SSUBSCRIBE/SPUBLISH on a Cluster. Up while both connections are ready; the core
 * (`TransportBus`) counts listeners, keeps publishes while it is down, and fans out its status.
 */
export class RedisTransport implements BusTransport {
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #sharded: boolean;
  readonly #options: ResolvedBusOptions;
  readonly #channels: ChannelSync;
  readonly #cleanups: (() => void)[] = [];
  #publisherReady = false;
  #subscriberReady = false;

  constructor(options: ResolvedBusOptions) {
    this.#options = options;
    this.#publisher = options.publisher;
    this.#subscriber = options.subscriber;
    this.#owned = options.owned;
    this.#prefix = options.prefix;
    this.#sharded = options.sharded;
    this.#channels = new ChannelSync(options.subscriber, options.sharded);
  }

  open(sink: TransportSink): void {
    const publisher = this.#publisher;
    const subscriber = this.#subscriber;
    const report = () => {
      if (this.#publisherReady && this.#subscriberReady) sink.up();
    };
    this.#listen(publisher, 'ready', () => {
      this.#publisherReady = true;
      report();
    });
    this.#listen(subscriber, 'ready', () => {
      this.#subscriberReady = true;
      report();
    });
    for (const event of DOWN_EVENTS) {
      this.#listen(publisher, event, () => {
        this.#publisherReady = false;
        sink.down();
      });
      this.#listen(subscriber, event, () => {
        this.#subscriberReady = false;
        sink.down();
      });
    }
    const prefix = this.#prefix;
    const deliver = (channel: string, payload: string) => {
      if (channel.startsWith(prefix)) sink.deliver(channel.slice(prefix.length), payload);
    };
    this.#listen(subscriber, 'message', deliver);
    this.#listen(subscriber, 'smessage', deliver);
    const { logger } = this.#options;
    this.#cleanups.push(logClientErrors(publisher, logger, 'bus publisher'));
    if (subscriber !== publisher) this.#cleanups.push(logClientErrors(subscriber, logger, 'bus subscriber'));
    this.#publisherReady = publisher.status === 'ready';
    this.#subscriberReady = subscriber.status === 'ready';
    report();
  }

  async publish(channel: string, payload: string): Promise<void> {
    const name = this.#prefix + channel;
    if (this.#sharded) await this.#publisher.spublish(name, payload);
    else await this.#publisher.publish(name, payload);
  }

  async subscribe(channels: string[]): Promise<void> {
    // Not reachable now: restore() subscribes every wanted channel when it is.
    if (!this.#channels.canSend) return;
    await this.#channels.subscribe(channels.map(channel => this.#prefix + channel));
  }

  async unsubscribe(channels: string[]): Promise<void> {
    if (!this.#channels.canSend) return;
    await this.#channels.unsubscribe(channels.map(channel => this.#prefix + channel));
  }

  restore(channels: string[]): Promise<void> | undefined {
    // ioredis's ClusterSubscriberGroup re-SSUBSCRIBEs per shard after a node comes back;
    // SSUBSCRIBE-ing again here would only grow its channel lists with duplicates.
    if (isClusterClient(this.#subscriber)) return undefined;
    if (channels.length === 0 && this.#channels.isEmpty) return undefined;
    return this.#channels.restore(channels.map(channel => this.#prefix + channel));
  }

  async close(channels: string[]): Promise<void> {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (this.#owned) {
      await Promise.all([closeClient(this.#publisher), closeClient(this.#subscriber)]);
      return;
    }
    const all = [...new Set([...channels.map(channel => this.#prefix + channel), ...this.#channels.known()])];
    if (all.length === 0) return;
    const unsubscribed = this.#channels.unsubscribe(all).catch(error => {
      this.#options.logger.debug({ err: error }, 'RedisBus: unsubscribe on close failed');
    });
    // On a dead connection the UNSUBSCRIBE waits in ioredis's queue (so autoResubscribe cannot
    // bring the channels back); waiting for it would hang close() until Redis returns.
    if (this.#channels.canSend) await unsubscribed;
  }

  #listen(client: RedisClient, event: string, handler: (...args: never[]) => void): void {
    const listener = handler as (...args: unknown[]) => void;
    client.on(event, listener);
    this.#cleanups.push(() => client.off(event, listener));
  }
}
