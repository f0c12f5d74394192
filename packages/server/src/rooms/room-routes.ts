import { ErrorCode, type JoinRoomData, RoomcastError, SystemRoute } from '@roomcast/protocol';
import { type ClientRegistry, clientOf } from '../connection/client-registry';
import type { Router } from '../routing/router';
import { presencePage, presenceRequest } from './presence-page';
import type { RoomCoordinator } from './room-coordinator';

export interface RoomRouteDeps {
  clients: ClientRegistry;
  rooms: RoomCoordinator;
}

/** `system.joinRoom`, `system.leaveRoom` and `system.presence` (SPEC section 2). */
export function registerRoomRoutes(router: Router, { clients, rooms }: RoomRouteDeps): void {
  router.add({
    ...SystemRoute.joinRoom,
    source: 'system',
    handler: function joinRoom(_ws, clientId, data) {
      // Identity comes from auth only: a userId or userType in the data is ignored.
      const { roomName, username, since, epoch, rewind } = dataOf(data);
      return rooms.join({ client: clientOf(clients, clientId), roomName, username, since, epoch, rewind });
    },
  });
  router.add({
    ...SystemRoute.leaveRoom,
    source: 'system',
    handler: function leaveRoom(_ws, clientId, data) {
      return rooms.leave({ client: clientOf(clients, clientId), roomName: dataOf(data).roomName });
    },
  });
  router.add({
    ...SystemRoute.presence,
    source: 'system',
    handler: async function presence(_ws, clientId, data) {
      const request = presenceRequest(data);
      const { roomName } = request;
      // Who is in a room is for its members: anyone else (and a client authorizeJoin refuses)
      // could otherwise list any room's users.
      if (!rooms.rooms.get(roomName)?.has(clientId))
        throw new RoomcastError(ErrorCode.FORBIDDEN, `Join ${roomName} to see who is in it`);
      const members = await rooms.getRoomMembers(roomName);
      return presencePage(members, rooms.presenceMode(roomName), request);
    },
  });
}

function dataOf(data: unknown): Partial<JoinRoomData> {
  return typeof data === 'object' && data !== null ? (data as Partial<JoinRoomData>) : {};
}
