/**
 * Room names: 1-128 characters of letters, digits and `_ . : @ # / -`. Narrow on purpose: room
 * names become Redis channel and key names, log fields and Prometheus labels.
 */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9_.:@#/-]{1,128}$/;
export const MAX_USERNAME_LENGTH = 64;

export function isValidRoomName(value: unknown): value is string {
  return typeof value === 'string' && ROOM_NAME_PATTERN.test(value);
}

/** A display name: trimmed and cut to 64 characters; null when empty or not a string. */
export function cleanUsername(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  // Cut by code points so a surrogate pair is never split in half.
  return Array.from(trimmed).slice(0, MAX_USERNAME_LENGTH).join('');
}
