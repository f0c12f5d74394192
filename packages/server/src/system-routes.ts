import {
  type Authenticator,
  type AuthUser,
  ErrorCode,
  type JoinRoomData,
  RoomcastError,
  SystemRoute,
  sameUserId,
} from '@roomcast/protocol';
import type { ClientManager, ConnectedClient } from './client-manager';
import type { RoomManager } from './room-manager';
import type { Router } from './router';

export interface SystemRouteDeps {
  clients: ClientManager;
  rooms: RoomManager;
  authenticator: Authenticator | undefined;
  /** Makes a verified user the client's identity (timers, frames, index). */
  signIn: (client: ConnectedClient, user: AuthUser) => void;
}

/** The built-in routes of SPEC section 2. */
export function registerSystemRoutes(router: Router, deps: SystemRouteDeps): void {
  const clientOf = (clientId: string): ConnectedClient => {
    const client = deps.clients.getClient({ clientId });
    if (!client) throw new RoomcastError(ErrorCode.INTERNAL_ERROR, 'Client is gone');
    return client;
  };
  const dataOf = (data: unknown): Partial<JoinRoomData> =>
    typeof data === 'object' && data !== null ? (data as Partial<JoinRoomData>) : {};

  router.add({
    ...SystemRoute.joinRoom,
    source: 'system',
    handler: (_ws, clientId, data) => {
      // Identity comes from auth only: a userId or userType in the data is ignored.
      const { roomName, username, since, epoch, rewind } = dataOf(data);
      return deps.rooms.join({ client: clientOf(clientId), roomName, username, since, epoch, rewind });
    },
  });
  router.add({
    ...SystemRoute.leaveRoom,
    source: 'system',
    handler: (_ws, clientId, data) =>
      deps.rooms.leave({ client: clientOf(clientId), roomName: dataOf(data).roomName }),
  });
  router.add({ ...SystemRoute.ping, source: 'system', handler: () => 'pong' });
  router.add({
    ...SystemRoute.presence,
    source: 'system',
    handler: async (_ws, clientId, data) => {
      const { roomName } = dataOf(data);
      if (typeof roomName !== 'string')
        throw new RoomcastError(ErrorCode.INVALID_ROOM, 'roomName is required');
      // Who is in a room is for its members: anyone else (and a client authorizeJoin refuses)
      // could otherwise list any room's users.
      if (!deps.rooms.rooms.get(roomName)?.has(clientId))
        throw new RoomcastError(ErrorCode.FORBIDDEN, `Join ${roomName} to see who is in it`);
      const members = await deps.rooms.getRoomMembers(roomName);
      return {
        roomName,
        members: members.map(({ clientId, userId, username }) => ({ clientId, userId, username })),
      };
    },
  });

  const verify = async (data: unknown): Promise<AuthUser> => {
    if (!deps.authenticator)
      throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'This server has no authentication');
    const token = typeof data === 'object' && data !== null ? (data as { token?: unknown }).token : undefined;
    if (typeof token !== 'string' || token === '')
      throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'token is required');
    return deps.authenticator.verify(token);
  };
  router.add({
    ...SystemRoute.authLogin,
    source: 'system',
    handler: async (_ws, clientId, data) => {
      const client = clientOf(clientId);
      if (client.user)
        throw new RoomcastError(ErrorCode.FORBIDDEN, 'Already authenticated; use auth.refresh');
      const user = await verify(data);
      deps.signIn(client, user);
      return { success: true, userId: user.userId };
    },
  });
  router.add({
    ...SystemRoute.authRefresh,
    source: 'system',
    handler: async (_ws, clientId, data) => {
      const client = clientOf(clientId);
      const user = await verify(data);
      if (client.user && !sameUserId(client.user.userId, user.userId)) {
        // Refused, and the connection keeps the identity it had.
        throw new RoomcastError(ErrorCode.FORBIDDEN, 'A refresh token must be for the same user');
      }
      deps.signIn(client, user);
      return { success: true, userId: user.userId, expiresAt: user.expiresAt ?? null };
    },
  });
}
