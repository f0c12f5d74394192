import type { KeyObject } from 'node:crypto';
import jwt, { type Algorithm, type SignOptions } from 'jsonwebtoken';
import { checkAlgorithms, type JwtAlgorithm, type KeyInput, toPrivateKey, toSecretKey } from './key-material';

interface SignTokenCommonOptions {
  /** Default `'HS256'`; `none` is refused. */
  algorithm?: JwtAlgorithm;
  /** Seconds, or a timespan string such as `'15m'`, `'1h'`, `'7d'` (vercel/ms). Sets `exp`. */
  expiresIn?: number | string;
  /** Seconds, or a timespan string; the token is not valid before then. Sets `nbf`. */
  notBefore?: number | string;
  issuer?: string;
  audience?: string | readonly string[];
  /** Sets `sub`, the user id by default; do not also put `sub` in the claims. */
  subject?: string;
}

/** Exactly one of `secret` (HS*) or `privateKey` (RS*, PS*, ES*). */
export type SignTokenOptions = SignTokenCommonOptions &
  ({ secret: string | Buffer; privateKey?: undefined } | { privateKey: KeyInput; secret?: undefined });

export const DEFAULT_SIGN_OPTIONS = Object.freeze({ algorithm: 'HS256' as JwtAlgorithm });

const WHERE = 'signToken';

/**
 * Signs `claims` into a JWT (synchronously). Meant for tests, scripts and apps that issue their
 * own tokens, such as the chat example; an identity provider usually does this in production.
 *
 * @example
 * ```ts
 * import { signToken } from '@roomcast/auth';
 *
 * const token = signToken({ sub: 'u1', email: 'ada@example.com' }, { secret: 's3cret', expiresIn: '1h' });
 * const rsToken = signToken({ sub: 'u1' }, { privateKey: privatePem, algorithm: 'RS256', expiresIn: 900 });
 * ```
 */
export function signToken(claims: Readonly<Record<string, unknown>>, options: SignTokenOptions): string {
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) {
    throw new TypeError(`${WHERE}: claims must be an object, e.g. { sub: 'user-1' }.`);
  }
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${WHERE}: pass an options object with secret or privateKey.`);
  }
  const [algorithm] = checkAlgorithms([options.algorithm ?? DEFAULT_SIGN_OPTIONS.algorithm], WHERE);
  const key = signingKey(options, algorithm as JwtAlgorithm);

  const signOptions: SignOptions = { algorithm: algorithm as Algorithm };
  // jsonwebtoken types timespans as template literals from `ms`; it validates the string itself.
  if (options.expiresIn !== undefined)
    signOptions.expiresIn = options.expiresIn as NonNullable<SignOptions['expiresIn']>;
  if (options.notBefore !== undefined) signOptions.notBefore = options.notBefore as SignOptions['notBefore'];
  if (options.issuer !== undefined) signOptions.issuer = options.issuer;
  if (options.audience !== undefined) {
    signOptions.audience = typeof options.audience === 'string' ? options.audience : [...options.audience];
  }
  if (options.subject !== undefined) signOptions.subject = options.subject;
  // A copy, because jsonwebtoken adds `iat`/`exp` to the object it is given.
  return jwt.sign({ ...claims }, key, signOptions);
}

function signingKey(options: SignTokenOptions, algorithm: JwtAlgorithm): KeyObject {
  const { secret, privateKey } = options;
  if (secret === undefined && privateKey === undefined) {
    throw new TypeError(
      `${WHERE}: pass either secret (for HS256) or privateKey (for RS256/ES256); neither was given.`,
    );
  }
  if (secret !== undefined && privateKey !== undefined) {
    throw new TypeError(`${WHERE}: pass secret or privateKey, not both.`);
  }
  if (secret !== undefined) {
    if (!algorithm.startsWith('HS')) {
      throw new TypeError(
        `${WHERE}: ${algorithm} signs with a privateKey, not a secret; use algorithm 'HS256' with a secret.`,
      );
    }
    return toSecretKey(secret, WHERE);
  }
  if (algorithm.startsWith('HS')) {
    throw new TypeError(
      `${WHERE}: a privateKey signs RS*/PS*/ES* tokens; set algorithm (e.g. 'RS256') instead of ${algorithm}.`,
    );
  }
  return toPrivateKey(privateKey, algorithm, WHERE);
}
