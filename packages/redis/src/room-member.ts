import type { RoomMember } from '@roomcast/protocol';

/** Checks a member before it is stored (a TypeError that says which field is wrong). */
export function checkMember(member: unknown): RoomMember {
  const m = (typeof member === 'object' && member !== null ? member : {}) as Partial<
    Record<keyof RoomMember, unknown>
  >;
  if (typeof m.clientId !== 'string' || m.clientId.length === 0) {
    throw new TypeError('RedisRoomStore: member.clientId must be a non-empty string.');
  }
  if (typeof m.nodeId !== 'string' || m.nodeId.length === 0) {
    throw new TypeError(
      'RedisRoomStore: member.nodeId must be a non-empty string (the node that holds the client).',
    );
  }
  const userId = m.userId ?? null;
  if (userId !== null && typeof userId !== 'string' && typeof userId !== 'number') {
    throw new TypeError('RedisRoomStore: member.userId must be a string, a number or null.');
  }
  const username = m.username ?? null;
  if (username !== null && typeof username !== 'string') {
    throw new TypeError('RedisRoomStore: member.username must be a string or null.');
  }
  // Only the four fields: nothing else a caller hung on the object reaches Redis.
  return { clientId: m.clientId, nodeId: m.nodeId, userId, username };
}

export function checkRoomName(owner: string, roomName: unknown): string {
  if (typeof roomName !== 'string' || roomName.length === 0) {
    throw new TypeError(`${owner}: roomName must be a non-empty string.`);
  }
  return roomName;
}

/** Reads a stored member; `undefined` for anything that is not one (never trusted blindly). */
export function parseMember(json: unknown): RoomMember | undefined {
  if (typeof json !== 'string') return undefined;
  try {
    return checkMember(JSON.parse(json));
  } catch {
    return undefined;
  }
}

/** Reads a script's list of member json, skipping what does not parse. */
export function parseMembers(reply: unknown): RoomMember[] {
  if (!Array.isArray(reply)) return [];
  const members: RoomMember[] = [];
  for (const json of reply) {
    const member = parseMember(json);
    if (member) members.push(member);
  }
  return members;
}
