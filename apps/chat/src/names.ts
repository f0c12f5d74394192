/**
 * The chat's naming rules, in one place: user names, the rooms people make, and the two kinds of
 * room the app keeps for itself (names starting with `@`, which no user-made room can have).
 */

/** What `/api/login` accepts as a name; it is the user id (`sub`) of every token. */
export const USER_NAME = /^[\p{L}\p{N}_.-]{1,32}$/u;

/** Every signed-in page joins it: its presence is who is online, which DMs are checked against. */
export const ONLINE_ROOM = '@online';

/** A room a user may create or join: letters, digits, _ . - (no `@`, no `:`). */
export const ROOM_NAME = /^[\p{L}\p{N}_.-]{1,40}$/u;

const DM_PREFIX = '@dm:';

/** The room of the conversation between two users: the same name whoever starts it. */
export function conversationRoom(a: string, b: string): string {
  return DM_PREFIX + [a, b].sort().join(':');
}

/** The two users of a conversation room, or undefined for any other room. */
export function conversationUsers(roomName: string): [string, string] | undefined {
  if (!roomName.startsWith(DM_PREFIX)) return undefined;
  const users = roomName.slice(DM_PREFIX.length).split(':');
  return users.length === 2 ? (users as [string, string]) : undefined;
}

/**
 * Who may join what (the server's `rooms.authorizeJoin`): everyone the online room and rooms with
 * a valid name; a conversation only its two users.
 */
export function mayJoin(userId: string | undefined, roomName: string): boolean {
  if (userId === undefined) return false;
  if (roomName === ONLINE_ROOM) return true;
  const users = conversationUsers(roomName);
  if (users) return users.includes(userId);
  return ROOM_NAME.test(roomName);
}
