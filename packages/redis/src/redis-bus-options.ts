import { checkOptions, type Logger, silentLogger } from '@roomcast/protocol';
import {
  checkConnection,
  createClient,
  isClusterClient,
  isRedisClient,
  type RedisClient,
  type RedisConnection,
} from './clients';
import { resolvePrefix } from './keys';
import { REDIS_BUS_OPTIONS_SCHEMA } from './options-schemas';

export interface RedisBusOptions {
  /** The caller's client for PUBLISH/SPUBLISH. Never quit by the bus. Pass with `subscriber`. */
  publisher?: RedisClient;
  /** The caller's client for SUBSCRIBE/SSUBSCRIBE, not the publisher. Never quit by the bus. */
  subscriber?: RedisClient;
  /** Instead of the two clients: how to reach Redis; the bus then opens and owns two clients. */
  connection?: RedisConnection;
  /** Put before every channel name on Redis. Default `roomcast:<appName>:`. */
  prefix?: string;
  /** Names the default prefix. */
  appName?: string;
  /** Publishes kept while Redis is unreachable; beyond it the oldest are dropped and counted. */
  maxPendingPublishes?: number;
  /**
   * SSUBSCRIBE/SPUBLISH instead of SUBSCRIBE/PUBLISH. Default: true for a Cluster (whose
   * subscriber must then be created with `shardedSubscribers: true`), false for a single server.
   */
  sharded?: boolean;
  logger?: Logger;
}

export const DEFAULT_REDIS_BUS_OPTIONS = Object.freeze({
  appName: 'default',
  maxPendingPublishes: 10_000,
});

export interface ResolvedBusOptions {
  publisher: RedisClient;
  subscriber: RedisClient;
  /** True when the bus opened the clients, and so quits them on close. */
  owned: boolean;
  prefix: string;
  sharded: boolean;
  maxPendingPublishes: number;
  logger: Logger;
}

const OWNER = 'RedisBus';

/** Checks the options (a TypeError that says what to do) and opens clients for `connection`. */
export function resolveBusOptions(options: RedisBusOptions): ResolvedBusOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${OWNER}: pass an options object: { publisher, subscriber } or { connection }.`);
  }
  checkOptions(OWNER, options, REDIS_BUS_OPTIONS_SCHEMA);
  const prefix = resolvePrefix(OWNER, options.prefix, options.appName ?? DEFAULT_REDIS_BUS_OPTIONS.appName);
  const maxPendingPublishes = options.maxPendingPublishes ?? DEFAULT_REDIS_BUS_OPTIONS.maxPendingPublishes;
  if (!Number.isSafeInteger(maxPendingPublishes) || maxPendingPublishes < 0) {
    throw new TypeError(
      `${OWNER}: maxPendingPublishes must be a whole number >= 0 (0 drops every publish made while Redis is down); got ${maxPendingPublishes}.`,
    );
  }
  if (options.sharded !== undefined && typeof options.sharded !== 'boolean') {
    throw new TypeError(`${OWNER}: sharded must be true or false when given.`);
  }
  const logger = options.logger ?? silentLogger;
  const { publisher, subscriber } = options;

  if (options.connection !== undefined) {
    if (publisher !== undefined || subscriber !== undefined) {
      throw new TypeError(`${OWNER}: pass either { publisher, subscriber } or { connection }, not both.`);
    }
    const connection = checkConnection(OWNER, options.connection);
    const created = {
      publisher: createClient(connection, 'commands'),
      subscriber: createClient(connection, 'subscriber'),
    };
    const sharded = options.sharded ?? isClusterClient(created.subscriber);
    return { ...created, owned: true, prefix, sharded, maxPendingPublishes, logger };
  }

  if (publisher === undefined || subscriber === undefined) {
    throw new TypeError(
      `${OWNER}: pass both publisher and subscriber (two ioredis clients: a subscribed connection cannot publish), or { connection }.`,
    );
  }
  for (const [name, client] of [
    ['publisher', publisher],
    ['subscriber', subscriber],
  ] as const) {
    if (!isRedisClient(client)) {
      throw new TypeError(`${OWNER}: ${name} must be an ioredis Redis or Cluster client.`);
    }
    if (client.options.keyPrefix) {
      throw new TypeError(
        `${OWNER}: the ${name} client has ioredis keyPrefix set, which renames sharded channels; use the bus's prefix option instead.`,
      );
    }
  }
  const cluster = isClusterClient(subscriber);
  if (cluster !== isClusterClient(publisher)) {
    throw new TypeError(
      `${OWNER}: publisher and subscriber must both be Redis clients or both be Cluster clients.`,
    );
  }
  if (!cluster && publisher === subscriber) {
    throw new TypeError(
      `${OWNER}: publisher and subscriber must be two connections (a subscribed connection cannot publish); pass publisher.duplicate() as subscriber.`,
    );
  }
  const sharded = options.sharded ?? cluster;
  if (sharded && isClusterClient(subscriber) && subscriber.options.shardedSubscribers !== true) {
    throw new TypeError(
      `${OWNER}: create the subscriber with new Cluster(nodes, { shardedSubscribers: true }) for sharded pub/sub, or pass sharded: false for classic pub/sub.`,
    );
  }
  return { publisher, subscriber, owned: false, prefix, sharded, maxPendingPublishes, logger };
}
