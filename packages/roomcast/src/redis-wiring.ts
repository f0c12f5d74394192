import type { Bus, History, Logger, RoomStore } from '@roomcast/protocol';
import type { RedisClient, RedisConnection } from '@roomcast/redis';

/** What the app built on Redis, and how to let go of all of it. */
export interface RedisWiring {
  publisherClient: RedisClient;
  subscriberClient: RedisClient;
  bus: Bus;
  roomStore: RoomStore;
  history: History;
  close(): Promise<void>;
}

/**
 * Connects to Redis and builds the bus, room store and history on two shared clients. The import
 * is dynamic so an app without `redis` never loads ioredis. Rejects with
 * "Redis unreachable at host:port: ..." when Redis cannot be reached, leaving nothing open.
 */
export async function wireRedis(
  connection: RedisConnection,
  { appName, logger }: { appName: string; logger: Logger },
): Promise<RedisWiring> {
  const { connectRedis, RedisBus, RedisHistory, RedisRoomStore } = await import('@roomcast/redis');
  const clients = await connectRedis(connection, { logger });
  const { publisherClient, subscriberClient } = clients;
  // The bus and stores take the caller's clients, so they never quit them: close() below does.
  const bus = new RedisBus({ publisher: publisherClient, subscriber: subscriberClient, appName, logger });
  const roomStore = new RedisRoomStore({ client: publisherClient, appName, logger });
  const history = new RedisHistory({ client: publisherClient, appName });
  return {
    publisherClient,
    subscriberClient,
    bus,
    roomStore,
    history,
    close: async () => {
      await Promise.allSettled([bus.close(), roomStore.close(), history.close()]);
      await clients.close();
    },
  };
}
