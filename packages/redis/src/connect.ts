import { checkOptions, type Logger, silentLogger } from '@roomcast/protocol';
import {
  checkConnection,
  closeClient,
  createClient,
  describeConnection,
  logClientErrors,
  type RedisClient,
  type RedisConnection,
} from './clients';
import { CONNECT_REDIS_OPTIONS_SCHEMA } from './options-schemas';

export interface ConnectRedisOptions {
  /** How long to keep trying before `connectRedis` rejects. */
  timeoutMs?: number;
  logger?: Logger;
}

export const DEFAULT_CONNECT_REDIS_OPTIONS = Object.freeze({ timeoutMs: 5000 });

/** The two connections a node needs: one for commands and publishes, one in subscriber mode. */
export interface RedisConnections {
  /** Commands and PUBLISH/SPUBLISH; also the client of the room store and history. */
  publisherClient: RedisClient;
  /** SUBSCRIBE/SSUBSCRIBE only (a subscribed connection cannot run other commands). */
  subscriberClient: RedisClient;
  /** Quits both clients. */
  close(): Promise<void>;
}

/**
 * Opens a publisher and a subscriber connection and resolves once both are ready. When Redis
 * cannot be reached it keeps retrying until `timeoutMs`, then rejects with
 * `Error('Redis unreachable at host:port: <reason>')` and leaves no socket or retry timer behind.
 * A refused password fails at once. On a Cluster, the subscriber uses sharded pub/sub.
 *
 * @example
 * const redis = await connectRedis({ host: '127.0.0.1', port: 6379 });
 * const bus = new RedisBus({ publisher: redis.publisherClient, subscriber: redis.subscriberClient });
 * // ...
 * await bus.close();
 * await redis.close();
 */
export async function connectRedis(
  config: RedisConnection,
  options: ConnectRedisOptions = {},
): Promise<RedisConnections> {
  const connection = checkConnection('connectRedis', config);
  checkOptions('connectRedis', options, CONNECT_REDIS_OPTIONS_SCHEMA, 'options');
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_REDIS_OPTIONS.timeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(
      `connectRedis: timeoutMs must be a positive number of milliseconds; got ${timeoutMs}.`,
    );
  }
  const logger = options.logger ?? silentLogger;
  const target = describeConnection(connection);
  const publisherClient = createClient(connection, 'commands');
  const subscriberClient = createClient(connection, 'subscriber');
  const clients = [publisherClient, subscriberClient];
  clients.forEach((client, i) => {
    logClientErrors(client, logger, i === 0 ? 'publisher' : 'subscriber');
  });

  try {
    await untilReady(clients, timeoutMs);
  } catch (error) {
    // disconnect() (not quit) cancels ioredis's pending reconnect timer and closes the socket.
    for (const client of clients) client.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Redis unreachable at ${target}: ${reason}`, { cause: error });
  }
  logger.debug({ target }, 'Redis connected');
  return {
    publisherClient,
    subscriberClient,
    close: async () => {
      await Promise.all(clients.map(client => closeClient(client)));
    },
  };
}

/** Resolves when every client is ready; rejects on a refusal from Redis or at the deadline. */
function untilReady(clients: RedisClient[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined;
    const cleanups: (() => void)[] = [];
    const finish = (error?: Error) => {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(() => {
      finish(lastError ?? new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const check = () => {
      if (clients.every(client => client.status === 'ready')) finish();
    };
    for (const client of clients) {
      const onError = (error: Error & { lastNodeError?: Error }) => {
        // A Cluster reports "Failed to refresh slots cache"; the node's own error says why.
        lastError = error.lastNodeError ?? error;
        // ReplyError: Redis answered and said no (WRONGPASS, NOAUTH): retrying will not help.
        if (error.name === 'ReplyError') finish(error);
      };
      const onNodeError = (error: Error) => {
        lastError = error;
      };
      const onEnd = () => finish(lastError ?? new Error('the connection was closed'));
      client.on('error', onError);
      client.on('node error', onNodeError);
      client.on('ready', check);
      client.on('end', onEnd);
      cleanups.push(() => {
        client.off('error', onError);
        client.off('node error', onNodeError);
        client.off('ready', check);
        client.off('end', onEnd);
      });
    }
    check();
  });
}
