import type { WebApplication } from 'roomcast';
import { HOST, type RunningSystem, type SystemOptions } from './system';

/**
 * Roomcast through the umbrella's `WebApplication`, as the Quick Start runs it, with the HTTP
 * publish API on when `apiKey` is given (what the emitter scenario posts to). The same server
 * options as `roomcast`: only the per-client inbound rate limit off.
 */
export async function startRoomcastApp(options: SystemOptions): Promise<RunningSystem> {
  const { WebApplication: App } = await import('roomcast');
  const app: WebApplication = new App({
    name: options.redis?.appName ?? 'bench',
    webserver: { port: 0, host: HOST },
    logger: false,
    handleSignals: false,
    websocket: {
      limits: { rateLimit: false, maxConnections: 100_000 },
      ...(options.history && { rooms: { patterns: [{ match: '*', history: options.history }] } }),
    },
    ...(options.redis && { redis: { host: options.redis.host, port: options.redis.port } }),
    ...(options.jwtSecret && { auth: { jwtSecretKey: options.jwtSecret } }),
    ...(options.apiKey && { api: { key: options.apiKey } }),
  });
  await app.start();
  const server = app.websocket.server;
  return {
    url: `ws://${HOST}:${app.webserver.port}/ws`,
    clientKind: 'roomcast',
    broadcastToRoom: (roomName, data) => void server.broadcastToRoom({ roomName, data }),
    broadcastToAll: data => server.broadcastToAllClients({ data }),
    stop: () => app.stop(),
  };
}
