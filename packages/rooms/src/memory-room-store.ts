import type { RoomMember, RoomStore } from '@roomcast/protocol';

/**
 * The embedded RoomStore: membership in this process's memory. Right for one process; with
 * several nodes use the Redis store so every node sees every member.
 *
 * @example
 * const store = new MemoryRoomStore();
 * await store.add('chat:general', { clientId: 'c1', nodeId: 'n1', userId: 'u1', username: 'Ada' });
 * await store.members('chat:general'); // [{ clientId: 'c1', ... }]
 */
export class MemoryRoomStore implements RoomStore {
  readonly #rooms = new Map<string, Map<string, RoomMember>>();

  async add(roomName: string, member: RoomMember): Promise<void> {
    let members = this.#rooms.get(roomName);
    if (!members) {
      members = new Map();
      this.#rooms.set(roomName, members);
    }
    members.set(member.clientId, { ...member });
  }

  async remove(roomName: string, clientId: string): Promise<void> {
    const members = this.#rooms.get(roomName);
    if (!members?.delete(clientId)) return;
    if (members.size === 0) this.#rooms.delete(roomName);
  }

  async members(roomName: string): Promise<RoomMember[]> {
    return [...(this.#rooms.get(roomName)?.values() ?? [])].map(member => ({ ...member }));
  }

  /** Sorted by name, as RedisRoomStore's (the RoomStore contract suite holds both to it). */
  async rooms(): Promise<string[]> {
    return [...this.#rooms.keys()].sort();
  }

  async removeNode(nodeId: string): Promise<void> {
    for (const [roomName, members] of this.#rooms) {
      for (const [clientId, member] of members) if (member.nodeId === nodeId) members.delete(clientId);
      if (members.size === 0) this.#rooms.delete(roomName);
    }
  }

  async close(): Promise<void> {
    this.#rooms.clear();
  }
}
