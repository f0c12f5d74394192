import { WebApplication } from 'roomcast';
import { chatRoutes } from './chat-routes';
import { httpRoutes } from './http-routes';
import { mayJoin, ONLINE_ROOM } from './names';
import { chatSessions } from './session';

export interface ChatAppOptions {
  port?: number;
  host?: string;
  workers?: number | undefined;
  redis?: string | undefined;
  /** WebSocket URLs of other chat processes on the same Redis: the page fails over to them. */
  peers?: string[];
  logger?: false;
  handleSignals?: boolean;
}

const HOUR = 3_600_000;

/**
 * Builds the chat: one WebApplication serving the page, the login API and the WebSocket at /ws.
 * Rooms and conversations keep presence and their last messages, so a joining user sees recent
 * history and a reconnecting one gets what it missed; the online room has presence only.
 */
export function createChatApp({
  port = 3000,
  host = '127.0.0.1',
  workers,
  redis,
  peers = [],
  logger,
  handleSignals,
}: ChatAppOptions = {}): WebApplication {
  const sessions = chatSessions();
  const app: WebApplication = new WebApplication({
    name: 'chat',
    webserver: { port, host, requestHandler: httpRoutes(sessions, { peers }) },
    websocket: {
      url: '/ws',
      routes: [...chatRoutes(() => app.websocket.server, sessions)],
      rooms: {
        authorizeJoin: ({ client, roomName }) => mayJoin(client.user && String(client.user.userId), roomName),
        patterns: [
          { match: ONLINE_ROOM, presence: true },
          { match: '@dm:*', presence: true, history: { size: 200, ttlMs: 24 * HOUR } },
          { match: '*', presence: true, history: { size: 100, ttlMs: HOUR } },
        ],
      },
    },
    auth: { jwtSecretKey: sessions.secret },
    ...(redis && { redis: { url: redis } }),
    ...(workers && { cluster: { workers } }),
    ...(logger === false && { logger: false }),
    ...(handleSignals !== undefined && { handleSignals }),
  });
  return app;
}
