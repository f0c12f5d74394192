import type { RoomMember } from '@roomcast/protocol';
import { isValidRoomName } from '@roomcast/rooms';
import { type ApiReply, fieldError, ok } from './api-reply';

export interface RoomQueries {
  getRooms(): Promise<string[]>;
  getRoomMembers(roomName: string): Promise<RoomMember[]>;
}

/** `GET /api/rooms`: the rooms with members on any node, sorted by name. */
export async function listRooms(server: RoomQueries): Promise<ApiReply> {
  return ok({ rooms: await server.getRooms() });
}

/** `GET /api/rooms/:name/members`: `[{ clientId, userId, username, nodeId }]` on every node. */
export async function listMembers(server: RoomQueries, encodedName: string): Promise<ApiReply> {
  let room: string;
  try {
    room = decodeURIComponent(encodedName);
  } catch {
    throw fieldError('name', 'is not URL-encoded correctly');
  }
  if (!isValidRoomName(room))
    throw fieldError('name', 'must be a room name: 1-128 of A-Z a-z 0-9 _ . : @ # / -');
  return ok({ room, members: await server.getRoomMembers(room) });
}
