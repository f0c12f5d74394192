import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <key>` against the app's key in constant time. Both sides are hashed
 * first: timingSafeEqual needs equal lengths, and comparing digests leaks neither the key's
 * length nor how much of it matched.
 */
export function bearerKeyCheck(key: string): (authorization: string | undefined) => boolean {
  const expected = digest(key);
  return function hasApiKey(authorization) {
    const match = /^Bearer[ \t]+(.+)$/i.exec(authorization ?? '');
    // A request without a key still hashes and compares ('' never matches a 32+ character key).
    return timingSafeEqual(digest(match?.[1]?.trim() ?? ''), expected);
  };
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
