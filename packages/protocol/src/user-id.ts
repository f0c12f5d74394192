import type { UserId } from './frames';

/**
 * The form user ids are matched by, everywhere: a JWT carries `sub` as the string "123"
 * (RFC 7519) while an app's database hands out the number 123, and both name one user. Only
 * matching uses it; the id a user sees stays what the token said.
 *
 * @example
 * userIdKey(123) === userIdKey('123'); // true
 */
export function userIdKey(userId: UserId): string {
  return String(userId);
}

/**
 * True when two user ids name the same user (by their string form). `null` and `undefined`
 * (anonymous) match nobody, not even each other.
 *
 * @example
 * sameUserId(client.user?.userId, 123); // true for a token with sub: "123"
 */
export function sameUserId(a: UserId | null | undefined, b: UserId | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return userIdKey(a) === userIdKey(b);
}
