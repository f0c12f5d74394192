import { ErrorCode, type PresenceMember, RoomcastError, type RoomMember } from '@roomcast/protocol';
import type { PresenceMode } from '@roomcast/rooms';

/** The most members one `system.presence` reply lists (and what it lists without a `limit`). */
export const MAX_PRESENCE_PAGE = 1_000;
const MAX_CURSOR_LENGTH = 256;

export interface PresenceRequest {
  roomName: string;
  /** The `nextCursor` of the previous page; absent: the first page. */
  cursor: string | undefined;
  limit: number;
}

export type PresenceReply =
  | { roomName: string; count: number; members: PresenceMember[]; nextCursor: string | null }
  | { roomName: string; count: number };

/** Checks the data of `system.presence` `{ roomName, cursor?, limit? }`. */
export function presenceRequest(data: unknown): PresenceRequest {
  const { roomName, cursor, limit } = (typeof data === 'object' && data !== null ? data : {}) as Record<
    string,
    unknown
  >;
  if (typeof roomName !== 'string') throw new RoomcastError(ErrorCode.INVALID_ROOM, 'roomName is required');
  if (cursor !== undefined && !(typeof cursor === 'string' && cursor.length <= MAX_CURSOR_LENGTH)) {
    throw new RoomcastError(ErrorCode.INVALID_MESSAGE, 'cursor must be the nextCursor a reply gave');
  }
  if (
    limit !== undefined &&
    !(Number.isInteger(limit) && (limit as number) >= 1 && (limit as number) <= MAX_PRESENCE_PAGE)
  ) {
    throw new RoomcastError(
      ErrorCode.INVALID_MESSAGE,
      `limit must be a whole number from 1 to ${MAX_PRESENCE_PAGE}`,
    );
  }
  return { roomName, cursor, limit: (limit as number | undefined) ?? MAX_PRESENCE_PAGE };
}

/**
 * One page of a room's members, in clientId order. The cursor is the last clientId listed, so
 * members joining or leaving between pages never shift the others: each member present for the
 * whole walk is listed exactly once. A counts-only room answers with its count and no members.
 */
export function presencePage(
  members: RoomMember[],
  mode: PresenceMode,
  request: PresenceRequest,
): PresenceReply {
  const { roomName, cursor, limit } = request;
  if (mode === 'count') return { roomName, count: members.length };
  const after = cursor === undefined ? members : members.filter(member => member.clientId > cursor);
  after.sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0));
  const page = after.slice(0, limit);
  const last = page.at(-1);
  return {
    roomName,
    count: members.length,
    members: page.map(({ clientId, userId, username }) => ({ clientId, userId, username })),
    nextCursor: after.length > limit && last ? last.clientId : null,
  };
}
