import type { Connection } from '../connection/connection';

const EMPTY: ReadonlySet<string> = new Set();

/**
 * Which clients of this node are in which room. The room's side is kept here (delivery reads it
 * per message); the client's side is on its record (`client.rooms`), so a disconnect finds its
 * rooms without a second index. Joining and leaving are O(1) on both sides.
 */
export class RoomMembers {
  readonly #clientsByRoom = new Map<string, Set<string>>();

  /** The guide's `server.rooms`: room name -> Set of client ids. Read it, do not mutate it. */
  get rooms(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#clientsByRoom;
  }

  get size(): number {
    return this.#clientsByRoom.size;
  }

  clientsOf(roomName: string): ReadonlySet<string> {
    return this.#clientsByRoom.get(roomName) ?? EMPTY;
  }

  /** `firstInRoom` tells when this node just got its first member of the room. */
  add(roomName: string, client: Connection): { added: boolean; firstInRoom: boolean } {
    if (!client.joined(roomName)) return { added: false, firstInRoom: false };
    let clients = this.#clientsByRoom.get(roomName);
    const firstInRoom = clients === undefined;
    if (!clients) {
      clients = new Set();
      this.#clientsByRoom.set(roomName, clients);
    }
    clients.add(client.clientId);
    return { added: true, firstInRoom };
  }

  /** `lastInRoom` tells when this node has no member of the room left. */
  remove(roomName: string, client: Connection): { removed: boolean; lastInRoom: boolean } {
    if (!client.left(roomName)) return { removed: false, lastInRoom: false };
    const clients = this.#clientsByRoom.get(roomName);
    clients?.delete(client.clientId);
    const lastInRoom = clients?.size === 0;
    if (lastInRoom) this.#clientsByRoom.delete(roomName);
    return { removed: true, lastInRoom };
  }
}
