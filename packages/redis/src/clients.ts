import { checkOptions, invalidOptions, type Logger } from '@roomcast/protocol';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import { Cluster, Redis } from 'ioredis';
import { REDIS_CONNECTION_SCHEMA } from './connection-schema';

/** A caller's ioredis client: a single server (`Redis`) or a Redis Cluster (`Cluster`). */
export type RedisClient = Redis | Cluster;

export interface RedisClusterNode {
  host: string;
  port: number;
}

/** `{ url: 'redis://:secret@127.0.0.1:6379/0' }`, with optional extra ioredis options. */
export interface RedisUrlConnection {
  url: string;
  options?: RedisOptions;
}

/** The masters (or any nodes) of a Redis Cluster; pub/sub then goes over sharded channels. */
export interface RedisClusterConnection {
  cluster: RedisClusterNode[];
  password?: string;
  username?: string;
  options?: ClusterOptions;
}

/**
 * How to reach Redis when this package opens (and owns) the clients: plain ioredis options
 * (`{ host, port, password?, db? }` and anything else ioredis takes), a URL, or a Cluster.
 */
export type RedisConnection = RedisOptions | RedisUrlConnection | RedisClusterConnection;

/** What a client is for: a sharded-pub/sub Cluster subscriber needs its own option. */
export type ClientRole = 'commands' | 'subscriber';

export function isClusterClient(client: RedisClient): client is Cluster {
  // `isCluster` rather than instanceof: it survives two copies of ioredis in node_modules.
  return (client as { isCluster?: unknown }).isCluster === true;
}

export function isRedisClient(value: unknown): value is RedisClient {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { status?: unknown; on?: unknown; quit?: unknown };
  return (
    typeof candidate.status === 'string' &&
    typeof candidate.on === 'function' &&
    typeof candidate.quit === 'function'
  );
}

function isClusterConnection(config: RedisConnection): config is RedisClusterConnection {
  return Array.isArray((config as { cluster?: unknown }).cluster);
}

function isUrlConnection(config: RedisConnection): config is RedisUrlConnection {
  return typeof (config as { url?: unknown }).url === 'string';
}

/** `host:port` for messages (never the password): `127.0.0.1:6390`, or every Cluster node. */
export function describeConnection(config: RedisConnection): string {
  if (isClusterConnection(config)) return config.cluster.map(node => `${node.host}:${node.port}`).join(',');
  if (isUrlConnection(config)) {
    try {
      const url = new URL(config.url);
      return `${url.hostname || '127.0.0.1'}:${url.port || '6379'}`;
    } catch {
      return 'an unparsable url';
    }
  }
  if (typeof config.path === 'string') return config.path;
  return `${config.host ?? '127.0.0.1'}:${config.port ?? 6379}`;
}

/**
 * Checks `connection` against its schema (every unknown key, ioredis's included, and wrong type
 * in one INVALID_OPTIONS TypeError), and that a Cluster has nodes.
 */
export function checkConnection(owner: string, config: unknown, path = 'connection'): RedisConnection {
  checkOptions(owner, config, REDIS_CONNECTION_SCHEMA, path);
  const cluster = (config as { cluster?: unknown[] }).cluster;
  if (cluster?.length === 0) {
    throw invalidOptions(owner, [
      `${path}.cluster must be a non-empty array of { host, port }, got an empty one`,
    ]);
  }
  return config as RedisConnection;
}

/** Opens a client this package will own (and quit on close). */
export function createClient(
  config: RedisConnection,
  role: ClientRole,
  extra: RedisOptions = {},
): RedisClient {
  if (isClusterConnection(config)) {
    const redisOptions: RedisOptions = { ...config.options?.redisOptions, ...extra };
    if (config.password !== undefined) redisOptions.password = config.password;
    if (config.username !== undefined) redisOptions.username = config.username;
    const options: ClusterOptions = { ...config.options, redisOptions };
    if (extra.lazyConnect !== undefined) options.lazyConnect = extra.lazyConnect;
    // Without it, ioredis routes SSUBSCRIBE to one random node and the other shards answer MOVED.
    if (role === 'subscriber') options.shardedSubscribers = true;
    return new Cluster(config.cluster, options);
  }
  if (isUrlConnection(config)) return new Redis(config.url, { ...config.options, ...extra });
  return new Redis({ ...config, ...extra });
}

/**
 * Logs a client's errors through `logger` instead of ioredis's own `console` fallback: the first
 * error of an outage at warn, the retries after it at debug (a refused connection repeats every
 * retry). Returns a function that detaches the listeners.
 */
export function logClientErrors(client: RedisClient, logger: Logger, label: string): () => void {
  let quiet = false;
  const onError = (error: Error) => {
    const entry = { err: error, client: label };
    if (quiet) logger.debug(entry, 'Redis connection error');
    else logger.warn(entry, 'Redis connection error');
    quiet = true;
  };
  const onReady = () => {
    quiet = false;
  };
  client.on('error', onError);
  client.on('ready', onReady);
  return () => {
    client.off('error', onError);
    client.off('ready', onReady);
  };
}

/**
 * Quits a client and resolves once its sockets are closed ('end'). A client that is not ready
 * is disconnected instead: QUIT would sit in the offline queue until Redis came back.
 */
export async function closeClient(client: RedisClient, timeoutMs = 2000): Promise<void> {
  if (client.status === 'end') return;
  let timer: NodeJS.Timeout | undefined;
  const ended = new Promise<void>(resolve => {
    client.once('end', () => resolve());
    timer = setTimeout(() => {
      client.disconnect();
      resolve();
    }, timeoutMs);
  });
  if (client.status === 'ready') {
    // Lost while quitting: the hard disconnect also clears ioredis's retry timer.
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
  await ended;
  clearTimeout(timer);
}
