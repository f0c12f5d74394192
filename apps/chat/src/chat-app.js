import { WebApplication } from 'roomcast';
import { chatRoutes } from './chat-routes.js';
import { chatSecret, httpRoutes } from './http-routes.js';

/**
 * Builds the chat: one WebApplication serving the page, the login API and the WebSocket at /ws.
 * Every room keeps presence and the last 100 messages for an hour, so a joining user sees recent
 * history and a reconnecting one gets what it missed.
 *
 * @param {{ port?: number, host?: string, workers?: number, redis?: string, logger?: false, handleSignals?: boolean }} options
 */
export function createChatApp({
  port = 3000,
  host = '127.0.0.1',
  workers,
  redis,
  logger,
  handleSignals,
} = {}) {
  const secret = chatSecret();
  const app = new WebApplication({
    name: 'chat',
    webserver: { port, host, requestHandler: httpRoutes({ secret }) },
    websocket: {
      url: '/ws',
      routes: chatRoutes(() => app.websocket.server),
      rooms: { patterns: [{ match: '*', presence: true, history: { size: 100, ttlMs: 3_600_000 } }] },
    },
    auth: { jwtSecretKey: secret },
    ...(redis && { redis: { url: redis } }),
    ...(workers && { cluster: { workers } }),
    ...(logger === false && { logger: false }),
    ...(handleSignals !== undefined && { handleSignals }),
  });
  return app;
}
