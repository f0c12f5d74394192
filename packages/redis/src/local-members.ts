import type { RoomMember } from '@roomcast/protocol';

export interface LocalMember {
  roomName: string;
  member: RoomMember;
}

/**
 * The members this store added, by node. Redis is the source of truth for queries; this copy
 * only lets a node register its members again when Redis forgot them (a restart without
 * persistence, or a sweep after this node stalled past its TTL) while its clients are still here.
 */
export class LocalMembers {
  /** nodeId -> JSON [roomName, clientId] -> member. */
  readonly #byNode = new Map<string, Map<string, LocalMember>>();

  add(roomName: string, member: RoomMember): void {
    // A client id belongs to one node: moving it off any other node mirrors the ADD script.
    this.remove(roomName, member.clientId);
    let members = this.#byNode.get(member.nodeId);
    if (!members) {
      members = new Map();
      this.#byNode.set(member.nodeId, members);
    }
    members.set(key(roomName, member.clientId), { roomName, member });
  }

  remove(roomName: string, clientId: string): void {
    for (const members of this.#byNode.values()) members.delete(key(roomName, clientId));
  }

  removeNode(nodeId: string): void {
    this.#byNode.delete(nodeId);
  }

  of(nodeId: string): LocalMember[] {
    return [...(this.#byNode.get(nodeId)?.values() ?? [])];
  }

  clear(): void {
    this.#byNode.clear();
  }
}

function key(roomName: string, clientId: string): string {
  return JSON.stringify([roomName, clientId]);
}
