// The server's routes. The client imports only their type (`import type`), so no server code
// and no zod reach it.
import { type RoutesOf, route, type WebSocketServer } from 'roomcast';
import { z } from 'zod';
import { type Pushes, ROOM } from './shared';

const sendSchema = z.object({ text: z.string().min(1).max(500), from: z.string().min(1).max(40) });

/** The routes need the server to broadcast; it exists once the app has started. */
export function chatRoutes(server: () => WebSocketServer<Pushes>) {
  return [
    route({
      type: 'chat',
      action: 'send',
      schema: sendSchema,
      handler: async (_ws, _clientId, data) => {
        const at = new Date().toISOString();
        const message = { type: 'chat', action: 'message', data: { ...data, at } } as const;
        await server().broadcastToRoom({ roomName: ROOM, data: message });
        return { at };
      },
    }),
  ] as const;
}

export type Routes = RoutesOf<ReturnType<typeof chatRoutes>>;
