import { CompactMultimap } from './compact-multimap';

/**
 * Which local clients are in which rooms, both ways, so that joining, leaving, delivering to a
 * room and cleaning up a disconnected client are each O(1) per membership.
 */
export class RoomIndex {
  readonly #clientsByRoom = new Map<string, Set<string>>();
  readonly #roomsByClient = new CompactMultimap<string, string>();

  /** The guide's `server.rooms`: room name -> Set of client ids. Read it, do not mutate it. */
  get rooms(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.#clientsByRoom;
  }

  /** Adds a membership; `firstInRoom` tells when this node just got its first member of the room. */
  add(roomName: string, clientId: string): { added: boolean; firstInRoom: boolean } {
    let clients = this.#clientsByRoom.get(roomName);
    const firstInRoom = clients === undefined;
    if (!clients) {
      clients = new Set();
      this.#clientsByRoom.set(roomName, clients);
    }
    if (clients.has(clientId)) return { added: false, firstInRoom: false };
    clients.add(clientId);
    this.#roomsByClient.add(clientId, roomName);
    return { added: true, firstInRoom };
  }

  /** Removes a membership; `lastInRoom` tells when this node has no member of the room left. */
  remove(roomName: string, clientId: string): { removed: boolean; lastInRoom: boolean } {
    const clients = this.#clientsByRoom.get(roomName);
    if (!clients?.delete(clientId)) return { removed: false, lastInRoom: false };
    const lastInRoom = clients.size === 0;
    if (lastInRoom) this.#clientsByRoom.delete(roomName);
    this.#roomsByClient.delete(clientId, roomName);
    return { removed: true, lastInRoom };
  }

  has(roomName: string, clientId: string): boolean {
    return this.#clientsByRoom.get(roomName)?.has(clientId) ?? false;
  }

  clientsOf(roomName: string): ReadonlySet<string> {
    return this.#clientsByRoom.get(roomName) ?? EMPTY;
  }

  /** A snapshot: leaving rooms while iterating it is fine. */
  roomsOf(clientId: string): ReadonlySet<string> {
    return this.#roomsByClient.get(clientId);
  }

  get size(): number {
    return this.#clientsByRoom.size;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
