import { ErrorCode, RoomcastError } from '@roomcast/protocol';

/**
 * Every message `verify` may reject with. A fixed set, so that neither a token nor text derived
 * from it (jsonwebtoken and JSON.parse messages can quote the decoded payload) ever reaches a
 * client or a log line.
 */
export const AuthFailure = Object.freeze({
  MISSING: 'Token missing',
  MALFORMED: 'Token malformed',
  EXPIRED: 'Token expired',
  NOT_YET_VALID: 'Token not yet valid',
  BAD_SIGNATURE: 'Invalid token signature',
  ALGORITHM: 'Token algorithm not allowed',
  ISSUER: 'Token issuer not accepted',
  AUDIENCE: 'Token audience not accepted',
  NO_USER_ID: 'Token has no user id',
  INVALID: 'Invalid token',
} as const);
export type AuthFailure = (typeof AuthFailure)[keyof typeof AuthFailure];

/**
 * The UNAUTHORIZED error for `reason`. No `cause`: jsonwebtoken's errors are not kept because
 * their messages and fields can carry token content; the reason already says what went wrong.
 */
export function authFailure(reason: AuthFailure): RoomcastError {
  return new RoomcastError(ErrorCode.UNAUTHORIZED, reason);
}

/** Maps whatever jsonwebtoken threw to one of the fixed reasons, by name and known message. */
export function reasonFor(error: unknown): AuthFailure {
  if (!(error instanceof Error)) return AuthFailure.INVALID;
  if (error.name === 'TokenExpiredError') return AuthFailure.EXPIRED;
  if (error.name === 'NotBeforeError') return AuthFailure.NOT_YET_VALID;
  // A payload that claims `typ: JWT` but is not JSON makes jws throw a SyntaxError.
  if (error.name === 'SyntaxError') return AuthFailure.MALFORMED;
  if (error.name !== 'JsonWebTokenError') return AuthFailure.INVALID;
  const message = error.message;
  if (message === 'jwt malformed' || message === 'invalid token') return AuthFailure.MALFORMED;
  if (message === 'invalid signature') return AuthFailure.BAD_SIGNATURE;
  // `jwt signature is required` is what an `alg: none` token with an empty signature gets; the
  // key-type messages are what a token signed with another family's algorithm gets.
  if (
    message === 'invalid algorithm' ||
    message === 'jwt signature is required' ||
    message.startsWith('secretOrPublicKey must be')
  ) {
    return AuthFailure.ALGORITHM;
  }
  if (message.startsWith('jwt issuer invalid')) return AuthFailure.ISSUER;
  if (message.startsWith('jwt audience invalid')) return AuthFailure.AUDIENCE;
  return AuthFailure.INVALID;
}
