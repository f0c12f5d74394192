import type { RoomMember } from '@roomcast/protocol';

/** `server.roomManager`: the rooms as the guide inspects them. */
export interface RoomManager {
  /** This node's rooms: room name -> Set of this node's client ids. */
  readonly rooms: ReadonlyMap<string, ReadonlySet<string>>;
  /** Every member of a room on every node. */
  getRoomMembers(roomName: string): Promise<RoomMember[]>;
  /** Rooms with members on any node. */
  getRooms(): Promise<string[]>;
  /** Logs every local room and its members (the guide's debugging aid). */
  printRooms(): void;
}
