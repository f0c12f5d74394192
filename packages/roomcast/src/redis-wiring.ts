import type { Bus, History, Logger, RoomStore } from '@roomcast/protocol';
import {
  connectRedis,
  RedisBus,
  type RedisClient,
  type RedisConnection,
  RedisHistory,
  RedisRoomStore,
} from '@roomcast/redis';

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
 * is static: the umbrella exports `@roomcast/redis` anyway, and a dynamic `import()` from the
 * CommonJS build would load the ESM copy of it (and of `@roomcast/protocol`) beside the CommonJS
 * one. Rejects with
 * "Redis unreachable at host:port: ..." when Redis cannot be reached, leaving nothing open.
 */
export async function wireRedis(
  connection: RedisConnection,
  { appName, logger }: { appName: string; logger: Logger },
): Promise<RedisWiring> {
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
