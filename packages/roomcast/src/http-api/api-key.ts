import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * `Authorization: Bearer <key>` against the app's key in constant time. Both sides are hashed
 * first: timingSafeEqual needs equal lengths, and comparing digests leaks neither the key's
 * length nor how much of it matched.
 */
export function bearerKeyCheck(key: string): (authorization: string | undefined) => boolean {
  const expected = secretDigest(key);
  return function hasApiKey(authorization) {
    const match = /^Bearer[ \t]+(.+)$/i.exec(authorization ?? '');
    // A request without a key still hashes and compares ('' never matches a 32+ character key).
    return timingSafeEqual(secretDigest(match?.[1]?.trim() ?? ''), expected);
  };
}

/** SHA-256 of a secret or of what a caller sent for it: equal-length buffers for timingSafeEqual. */
export function secretDigest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
