import { createHash } from 'node:crypto';

/**
 * A short name for a token that is safe to log: the first 8 hex digits of its SHA-256. Roomcast
 * never logs tokens (a logged token is a stolen session for as long as it is valid); log this
 * instead when two log lines must be tied to the same token. It cannot be turned back into the
 * token, and 32 bits are enough to tell tokens apart in a log, not to look one up.
 *
 * @example
 * ```ts
 * import { tokenFingerprint } from '@roomcast/auth';
 *
 * logger.warn({ clientId, token: tokenFingerprint(token) }, 'token refused'); // token: '9f86d081'
 * ```
 */
export function tokenFingerprint(token: string): string {
  if (typeof token !== 'string') throw new TypeError('tokenFingerprint: token must be a string.');
  return createHash('sha256').update(token, 'utf8').digest('hex').slice(0, 8);
}
