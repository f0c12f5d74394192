import type { RedisBus, RedisRoomStore } from '@roomcast/redis';
import type { WebSocketServer, WebSocketServerOptions } from '@roomcast/server';
import { type ClientKind, HOST, type RunningSystem, type SystemOptions } from './system';

/**
 * Roomcast as an app would run it, with only the per-client inbound rate limit off. `clientKind`
 * 'roomcast-msgpack': the same server, its clients on MessagePack.
 */
export async function startRoomcast(
  options: SystemOptions,
  clientKind: ClientKind = 'roomcast',
): Promise<RunningSystem> {
  const { WebSocketServer: Server } = (await import(
    options.roomcastServerModule ?? '@roomcast/server'
  )) as typeof import('@roomcast/server');
  const cluster = options.redis ? await startRedisParts(options.redis) : undefined;
  const serverOptions: WebSocketServerOptions = {
    limits: { rateLimit: false, maxConnections: 100_000 },
    ...(options.writeDelayMs !== undefined && { writeDelayMs: options.writeDelayMs }),
    ...(cluster && { bus: cluster.bus, roomStore: cluster.store, history: cluster.history }),
    ...(options.drainMs !== undefined && { drainMs: options.drainMs }),
    ...((options.history || options.presence) && {
      rooms: {
        patterns: [
          {
            match: '*',
            ...(options.history && { history: options.history }),
            ...(options.presence !== undefined && { presence: options.presence }),
          },
        ],
      },
    }),
  };
  if (options.jwtSecret) {
    const { createJwtAuthenticator } = await import('@roomcast/auth');
    serverOptions.authenticator = createJwtAuthenticator({ secret: options.jwtSecret });
  }
  const server: WebSocketServer = new Server(serverOptions);
  const { url } = await server.listen({ port: 0, host: HOST });
  return {
    url,
    clientKind,
    broadcastToRoom: (roomName, data) => void server.broadcastToRoom({ roomName, data }),
    broadcastToAll: data => server.broadcastToAllClients({ data }),
    stop: async () => {
      await server.stop();
      await cluster?.stop();
    },
  };
}

async function startRedisParts(redis: NonNullable<SystemOptions['redis']>) {
  const {
    connectRedis,
    RedisBus: Bus,
    RedisHistory: History,
    RedisRoomStore: Store,
  } = await import('@roomcast/redis');
  const connections = await connectRedis({ host: redis.host, port: redis.port });
  const { publisherClient: publisher, subscriberClient: subscriber } = connections;
  const bus: RedisBus = new Bus({ publisher, subscriber, appName: redis.appName });
  const store: RedisRoomStore = new Store({ client: publisher, appName: redis.appName });
  const history = new History({ client: publisher, appName: redis.appName });
  return {
    bus,
    store,
    history,
    stop: async () => {
      await Promise.all([bus.close(), store.close(), history.close()]);
      await connections.close();
    },
  };
}
