/**
 * The chat's WebSocket routes: typed (`route()`), their data checked by zod schemas before a
 * handler runs (bad data gets INVALID_MESSAGE with the schema's message per field), and every
 * refusal a `RoomcastError`, whose message the user reads. Identity comes from the JWT
 * (`sub` = the name picked at login), never from message data, so nobody can post as someone else.
 */
import { ErrorCode, RoomcastError, type RoutesOf, route, type WebSocketServer } from 'roomcast';
import { z } from 'zod';
import { conversationRoom, conversationUsers, ONLINE_ROOM, USER_NAME } from './names';
import type { Sessions } from './session';

export const MAX_TEXT = 2000;
const TEXT_RULE = `Text must be 1 to ${MAX_TEXT} characters`;

const roomName = z.string().min(1).max(128);
const sendSchema = z.object({
  roomName,
  text: z.string().trim().min(1, TEXT_RULE).max(MAX_TEXT, TEXT_RULE),
  // Chosen by the page, so a message re-sent after a lost reply is shown once.
  id: z.string().min(1).max(64),
});
const typingSchema = z.object({ roomName });
const conversationSchema = z.object({
  with: z.string().regex(USER_NAME, 'A user name is 1 to 32 letters, digits, _ . or -'),
});

/** What `chat.message` events carry. */
export interface ChatMessage {
  roomName: string;
  from: string;
  text: string;
  at: number;
  id: string;
}

export function chatRoutes(server: () => WebSocketServer, sessions: Sessions) {
  const userOf = (clientId: string): string => {
    const user = server().clientManager.getClient({ clientId })?.user;
    if (!user) throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'Log in first');
    return String(user.userId);
  };
  // Only members may post or type in a room: the client is on this node, so the local index knows.
  const memberOf = (clientId: string, name: string): string => {
    if (!server().rooms.get(name)?.has(clientId))
      throw new RoomcastError(ErrorCode.FORBIDDEN, `Join ${name} first`);
    return userOf(clientId);
  };
  const isOnline = async (userId: string): Promise<boolean> => {
    const members = await server().getRoomMembers(ONLINE_ROOM);
    return members.some(m => String(m.userId) === userId);
  };

  return [
    route({
      type: 'chat',
      action: 'send',
      schema: sendSchema,
      handler: async (_ws, clientId, data) => {
        const from = memberOf(clientId, data.roomName);
        const message: ChatMessage = { ...data, from, at: Date.now() };
        await server().broadcastToRoom({
          roomName: data.roomName,
          data: { type: 'chat', action: 'message', data: message },
        });
        // In a conversation, the other user's pages join it if they have not (their first DM).
        const other = conversationUsers(data.roomName)?.find(user => user !== from);
        if (other) {
          server().broadcastToUsers({
            userIds: [other],
            data: { type: 'chat', action: 'conversation', data: { roomName: data.roomName, with: from } },
          });
        }
        return { id: data.id, at: message.at };
      },
    }),
    route({
      type: 'chat',
      action: 'typing',
      schema: typingSchema,
      handler: async (_ws, clientId, data) => {
        const from = memberOf(clientId, data.roomName);
        await server().broadcastToRoom({
          roomName: data.roomName,
          excludeClientId: clientId,
          data: { type: 'chat', action: 'typing', data: { roomName: data.roomName, from } },
          // A typing line is for now only: never stored, never replayed after a reload.
          ephemeral: true,
        });
      },
    }),
    route({
      type: 'chat',
      action: 'conversation',
      schema: conversationSchema,
      // The room of a conversation with someone online; the page joins it (authorizeJoin lets
      // only the two users in) and sends there with chat.send.
      handler: async (_ws, clientId, data) => {
        const me = userOf(clientId);
        if (data.with === me) throw new RoomcastError(ErrorCode.INVALID_MESSAGE, 'That is you');
        if (!(await isOnline(data.with)))
          throw new RoomcastError(ErrorCode.INVALID_MESSAGE, `Nobody called ${data.with} is online`);
        return { roomName: conversationRoom(me, data.with), with: data.with };
      },
    }),
    route({
      type: 'session',
      action: 'renew',
      // A fresh token for the same user: the page hands it to auth.refresh and keeps it for reloads.
      handler: (_ws, clientId) => sessions.sign(userOf(clientId)),
    }),
  ] as const;
}

/** The route table the page would type its client with (`createClient<ChatRoutes>()`). */
export type ChatRoutes = RoutesOf<ReturnType<typeof chatRoutes>>;
