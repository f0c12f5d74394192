import type { Bus, BusListener, Logger } from '@roomcast/protocol';
import { ChannelSync } from './channel-sync';
import { closeClient, isClusterClient, logClientErrors, type RedisClient } from './clients';
import { PendingPublishes } from './pending-publishes';
import { type RedisBusOptions, resolveBusOptions } from './redis-bus-options';
import { Subscriptions } from './subscriptions';

export interface RedisBusStats {
  /** Publishes Redis accepted. */
  published: number;
  /** Messages that arrived on this bus's channels (its prefix), listened to or not. */
  received: number;
  /** Publishes lost: pushed out of the full pending queue, failed in flight, or pending at close. */
  dropped: number;
  /** Publishes waiting for Redis to come back. */
  pending: number;
  /** `received` per logical channel (`room:general`); a channel with no traffic has no entry. */
  receivedByChannel: ReadonlyMap<string, number>;
}

const DOWN_EVENTS = ['close', 'end', 'reconnecting'] as const;

/**
 * The Bus over Redis pub/sub: `<prefix><channel>` on Redis, one SUBSCRIBE per channel that has
 * listeners here, SSUBSCRIBE/SPUBLISH on a Cluster. Delivery is at most once. While Redis is
 * unreachable, `connected` is false and publishes wait in a bounded queue (oldest dropped first),
 * sent in order once both connections are back and every subscription is restored.
 *
 * @example
 * const bus = new RedisBus({ connection: { host: '127.0.0.1', port: 6379 }, appName: 'chat' });
 * await bus.subscribe(BusChannel.room('general'), payload => console.log(payload));
 * await bus.publish(BusChannel.room('general'), '{"type":"chat","action":"message"}');
 * await bus.close();
 */
export class RedisBus implements Bus {
  readonly #publisher: RedisClient;
  readonly #subscriber: RedisClient;
  readonly #owned: boolean;
  readonly #prefix: string;
  readonly #sharded: boolean;
  readonly #channels: ChannelSync;
  readonly #logger: Logger;
  readonly #maxPending: number;
  readonly #subscriptions = new Subscriptions();
  readonly #pending: PendingPublishes;
  readonly #statusListeners = new Set<(connected: boolean) => void>();
  readonly #receivedByChannel = new Map<string, number>();
  readonly #cleanups: (() => void)[] = [];
  #publisherReady: boolean;
  #subscriberReady = false;
  /** Bumped whenever the subscriber goes down, so a resubscribe that outlived it is ignored. */
  #subscriberEpoch = 0;
  #connected = false;
  #closed = false;
  #published = 0;
  #received = 0;
  #failed = 0;
  #overflowLogged = false;

  constructor(options: RedisBusOptions) {
    const resolved = resolveBusOptions(options);
    this.#publisher = resolved.publisher;
    this.#subscriber = resolved.subscriber;
    this.#owned = resolved.owned;
    this.#prefix = resolved.prefix;
    this.#sharded = resolved.sharded;
    this.#channels = new ChannelSync(resolved.subscriber, resolved.sharded);
    this.#logger = resolved.logger;
    this.#maxPending = resolved.maxPendingPublishes;
    this.#pending = new PendingPublishes(resolved.maxPendingPublishes);

    const publisher = this.#publisher;
    const subscriber = this.#subscriber;
    this.#listen(publisher, 'ready', () => {
      this.#publisherReady = true;
      this.#update();
    });
    this.#listen(subscriber, 'ready', () => this.#onSubscriberReady());
    for (const event of DOWN_EVENTS) {
      this.#listen(publisher, event, () => {
        this.#publisherReady = false;
        this.#update();
      });
      this.#listen(subscriber, event, () => {
        this.#subscriberEpoch++;
        this.#subscriberReady = false;
        this.#update();
      });
    }
    const deliver = (channel: string, payload: string) => this.#deliver(channel, payload);
    this.#listen(subscriber, 'message', deliver);
    this.#listen(subscriber, 'smessage', deliver);
    this.#cleanups.push(logClientErrors(publisher, this.#logger, 'bus publisher'));
    if (subscriber !== publisher) {
      this.#cleanups.push(logClientErrors(subscriber, this.#logger, 'bus subscriber'));
    }
    this.#publisherReady = publisher.status === 'ready';
    if (subscriber.status === 'ready') this.#onSubscriberReady();
  }

  get connected(): boolean {
    return this.#connected;
  }

  get stats(): RedisBusStats {
    return {
      published: this.#published,
      received: this.#received,
      dropped: this.#pending.dropped + this.#failed,
      pending: this.#pending.size,
      receivedByChannel: new Map(this.#receivedByChannel),
    };
  }

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    if (typeof payload !== 'string') {
      throw new TypeError(
        'RedisBus.publish: payload must be a string (serialize it once, before publishing).',
      );
    }
    if (this.#closed) throw new Error('RedisBus.publish: the bus is closed.');
    if (this.#connected) return this.#send(channel, payload);
    if (!this.#pending.push({ channel, payload }) && !this.#overflowLogged) {
      this.#overflowLogged = true;
      this.#logger.warn(
        { maxPendingPublishes: this.#maxPending },
        'RedisBus: pending publishes are full while Redis is down; dropping the oldest',
      );
    }
  }

  async subscribe(channel: string, listener: BusListener): Promise<void> {
    checkChannel(channel);
    checkListener(listener);
    if (this.#closed) throw new Error('RedisBus.subscribe: the bus is closed.');
    if (!this.#subscriptions.add(channel, listener)) return;
    // Not reachable now: #onSubscriberReady subscribes every wanted channel when it is.
    if (!this.#channels.canSend) return;
    try {
      await this.#channels.subscribe([this.#prefix + channel]);
    } catch (error) {
      this.#logger.warn({ err: error, channel }, 'RedisBus: subscribe failed; it is retried on reconnect');
    }
  }

  async unsubscribe(channel: string, listener: BusListener): Promise<void> {
    if (!this.#subscriptions.remove(channel, listener)) return;
    if (!this.#channels.canSend) return;
    try {
      await this.#channels.unsubscribe([this.#prefix + channel]);
    } catch (error) {
      this.#logger.debug({ err: error, channel }, 'RedisBus: unsubscribe failed; it is retried on reconnect');
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
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    this.#statusListeners.clear();
    const dropped = this.#pending.discard();
    if (dropped > 0) this.#logger.warn({ dropped }, 'RedisBus: closed with publishes pending; dropped');
    const channels = [
      ...new Set([...this.#subscriptions.channels().map(c => this.#prefix + c), ...this.#channels.known()]),
    ];
    this.#subscriptions.clear();
    if (this.#owned) {
      await Promise.all([closeClient(this.#publisher), closeClient(this.#subscriber)]);
      return;
    }
    if (channels.length === 0) return;
    const unsubscribed = this.#channels.unsubscribe(channels).catch(error => {
      this.#logger.debug({ err: error }, 'RedisBus: unsubscribe on close failed');
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

  #onSubscriberReady(): void {
    const epoch = ++this.#subscriberEpoch;
    const ready = () => {
      if (epoch !== this.#subscriberEpoch || this.#closed) return;
      this.#subscriberReady = true;
      this.#update();
    };
    // ioredis's ClusterSubscriberGroup re-SSUBSCRIBEs per shard after a node comes back;
    // SSUBSCRIBE-ing again here would only grow its channel lists with duplicates.
    const nothingToRestore = this.#subscriptions.size === 0 && this.#channels.isEmpty;
    if (isClusterClient(this.#subscriber) || nothingToRestore) {
      ready();
      return;
    }
    const wanted = this.#subscriptions.channels().map(channel => this.#prefix + channel);
    void this.#channels.restore(wanted).then(ready, error => {
      this.#logger.warn({ err: error }, 'RedisBus: restoring subscriptions failed');
      ready();
    });
  }

  async #send(channel: string, payload: string): Promise<void> {
    const name = this.#prefix + channel;
    try {
      if (this.#sharded) await this.#publisher.spublish(name, payload);
      else await this.#publisher.publish(name, payload);
      this.#published++;
    } catch (error) {
      this.#failed++;
      this.#logger.warn({ err: error, channel }, 'RedisBus: publish failed; message dropped');
    }
  }

  #update(): void {
    const connected = !this.#closed && this.#publisherReady && this.#subscriberReady;
    if (connected === this.#connected) return;
    this.#connected = connected;
    if (connected) {
      this.#overflowLogged = false;
      const pending = this.#pending.drain();
      // Sent in one tick, in order: ioredis writes them to the socket in this order.
      for (const item of pending) void this.#send(item.channel, item.payload);
      this.#logger.info({ flushed: pending.length }, 'RedisBus connected');
    } else {
      this.#logger.warn(
        { maxPendingPublishes: this.#maxPending },
        'RedisBus disconnected: publishes are kept until Redis is back',
      );
    }
    for (const listener of [...this.#statusListeners]) {
      try {
        listener(connected);
      } catch (error) {
        this.#logger.error({ err: error }, 'RedisBus: a status listener threw');
      }
    }
  }

  #deliver(redisChannel: string, payload: string): void {
    if (!redisChannel.startsWith(this.#prefix)) return;
    const channel = redisChannel.slice(this.#prefix.length);
    this.#received++;
    this.#receivedByChannel.set(channel, (this.#receivedByChannel.get(channel) ?? 0) + 1);
    for (const listener of this.#subscriptions.listeners(channel)) {
      try {
        const result: unknown = listener(payload, channel);
        // An async listener's rejection is caught too, so it cannot crash the process.
        if (result instanceof Promise) result.catch(error => this.#logListenerError(error, channel));
      } catch (error) {
        this.#logListenerError(error, channel);
      }
    }
  }

  #logListenerError(error: unknown, channel: string): void {
    this.#logger.error(
      { err: error, channel },
      'RedisBus: a listener threw; the others still got the message',
    );
  }
}

function checkChannel(channel: unknown): void {
  if (typeof channel !== 'string' || channel.length === 0) {
    throw new TypeError(
      `RedisBus: channel must be a non-empty string such as 'room:general'; got ${String(channel)}.`,
    );
  }
}

function checkListener(listener: unknown): void {
  if (typeof listener !== 'function') {
    throw new TypeError('RedisBus.subscribe: listener must be a function (payload, channel) => void.');
  }
}
