import { timingSafeEqual } from 'node:crypto';
import { secretDigest } from '../http-api/api-key';

/**
 * `Authorization: Basic base64(user:password)` against the admin's credentials in constant
 * time. Both sides are hashed first: timingSafeEqual needs equal lengths, and comparing digests
 * leaks neither the password's length nor how much of it matched.
 */
export function basicAuthCheck(username: string, password: string): (authorization?: string) => boolean {
  const expected = secretDigest(`${username}:${password}`);
  return function hasAdminCredentials(authorization) {
    const match = /^Basic[ \t]+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
    const given = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    // A request without credentials still hashes and compares: every answer takes the same path.
    return timingSafeEqual(secretDigest(given), expected);
  };
}
