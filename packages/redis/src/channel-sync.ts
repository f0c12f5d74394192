import { isClusterClient, type RedisClient } from './clients';

/**
 * The bus's side of the subscriber connection: which channels Redis has, and the commands that
 * change them (SUBSCRIBE, or SSUBSCRIBE with `sharded`). Channel names here are the full,
 * prefixed names.
 */
export class ChannelSync {
  readonly #subscriber: RedisClient;
  readonly #sharded: boolean;
  /** Channels Redis confirmed as subscribed and not since confirmed as unsubscribed. */
  readonly #onRedis = new Set<string>();

  constructor(subscriber: RedisClient, sharded: boolean) {
    this.#subscriber = subscriber;
    this.#sharded = sharded;
  }

  /** Whether commands can go now. A Cluster routes (and queues) them itself. */
  get canSend(): boolean {
    return isClusterClient(this.#subscriber) || this.#subscriber.status === 'ready';
  }

  get isEmpty(): boolean {
    return this.#onRedis.size === 0;
  }

  /** Every channel Redis may still have for us, for close(). */
  known(): string[] {
    return [...this.#onRedis];
  }

  async subscribe(channels: string[]): Promise<void> {
    const subscriber = this.#subscriber;
    // A Cluster takes one slot per SSUBSCRIBE, so each channel goes alone.
    if (this.#sharded) await Promise.all(channels.map(channel => subscriber.ssubscribe(channel)));
    else await subscriber.subscribe(...channels);
    for (const channel of channels) this.#onRedis.add(channel);
  }

  async unsubscribe(channels: string[]): Promise<void> {
    const subscriber = this.#subscriber;
    if (this.#sharded) await Promise.all(channels.map(channel => subscriber.sunsubscribe(channel)));
    else await subscriber.unsubscribe(...channels);
    for (const channel of channels) this.#onRedis.delete(channel);
  }

  /**
   * Makes Redis's subscriptions match `wanted` after a reconnect. ioredis's autoResubscribe
   * restores the channels of the last connection, but not the ones wanted while it was down,
   * and it also restores channels whose last listener left meanwhile. Resolves once Redis has
   * confirmed, so nothing is published before this node listens again.
   */
  async restore(wanted: string[]): Promise<void> {
    const keep = new Set(wanted);
    const stale = [...this.#onRedis].filter(channel => !keep.has(channel));
    await Promise.all([
      wanted.length > 0 ? this.subscribe(wanted) : undefined,
      stale.length > 0 ? this.unsubscribe(stale) : undefined,
    ]);
  }
}
