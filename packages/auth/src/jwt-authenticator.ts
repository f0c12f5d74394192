import type { Authenticator, AuthUser, UserId } from '@roomcast/protocol';
import jwt from 'jsonwebtoken';
import { AuthFailure, authFailure, reasonFor } from './auth-failure';
import { type JwtAuthenticatorOptions, type ResolvedJwtOptions, resolveJwtOptions } from './options';

/**
 * An `Authenticator` that verifies JWTs with jsonwebtoken. Only the listed algorithms are
 * accepted (never `none`), so a token cannot pick its own algorithm or be signed with the public
 * key as an HMAC secret. Options are checked here: a missing key or a bad combination throws a
 * TypeError at start-up rather than failing every login later.
 *
 * `verify` never puts the token in the error it rejects with; the server should log
 * `tokenFingerprint(token)` when it has to refer to one.
 *
 * @example
 * ```ts
 * import { createJwtAuthenticator } from '@roomcast/auth';
 *
 * const auth = createJwtAuthenticator({ secret: process.env.JWT_SECRET_KEY!, issuer: 'chat' });
 * const user = await auth.verify(token); // { userId: 'u1', payload: {...}, expiresAt: ... }
 *
 * // Asymmetric: the server holds only the public key.
 * const rs = createJwtAuthenticator({ publicKey: publicPem, algorithms: ['RS256'], required: true });
 * ```
 */
export function createJwtAuthenticator(options: JwtAuthenticatorOptions): Authenticator {
  const resolved = resolveJwtOptions(options);
  // Once, here at start-up: a short secret is accepted (down to 16 bytes), but said so.
  if (resolved.weakSecret !== undefined) {
    if (options.logger) options.logger.warn({ code: WEAK_SECRET_CODE }, resolved.weakSecret);
    else process.emitWarning(resolved.weakSecret, { code: WEAK_SECRET_CODE });
  }
  return Object.freeze({
    required: resolved.required,
    loginTimeoutMs: resolved.loginTimeoutMs,
    verify: async function verifyJwt(token: string): Promise<AuthUser> {
      return verifyToken(token, resolved);
    },
  });
}

/** The `code` of the weak-secret warning, to find or filter it (`process.on('warning')`). */
export const WEAK_SECRET_CODE = 'ROOMCAST_WEAK_JWT_SECRET';

function verifyToken(token: unknown, options: ResolvedJwtOptions): AuthUser {
  if (typeof token !== 'string' || token === '') throw authFailure(AuthFailure.MISSING);
  let payload: unknown;
  try {
    payload = jwt.verify(token, options.key, options.verifyOptions);
  } catch (error) {
    throw authFailure(reasonFor(error));
  }
  // jsonwebtoken returns a string when the signed payload is not a JSON object: no claims, no user.
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw authFailure(AuthFailure.INVALID);
  }
  const claims = payload as Record<string, unknown>;
  const userId = claims[options.userIdClaim];
  if (!isUserId(userId)) throw authFailure(AuthFailure.NO_USER_ID);

  const user: AuthUser = { userId, payload: deepFreeze(claims) };
  const email = claims[options.emailClaim];
  if (typeof email === 'string') user.email = email;
  // jsonwebtoken has already refused a non-numeric `exp`.
  if (typeof claims['exp'] === 'number') user.expiresAt = claims['exp'] * 1000;
  return user;
}

function isUserId(value: unknown): value is UserId {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/** Every handler of a connection shares the claims; freezing them stops one from changing what others see. */
function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const child of Object.values(value)) {
    if (typeof child === 'object' && child !== null && !Object.isFrozen(child)) deepFreeze(child);
  }
  return Object.freeze(value);
}
