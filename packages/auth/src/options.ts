import type { KeyObject } from 'node:crypto';
import type { Logger } from '@roomcast/protocol';
import type { Algorithm, VerifyOptions } from 'jsonwebtoken';
import {
  checkAlgorithms,
  type JwtAlgorithm,
  type KeyInput,
  toPublicKey,
  toSecretKey,
  weakSecretWarning,
} from './key-material';
import { statelessRegExp } from './stateless-regexp';

interface JwtCommonOptions {
  /** Algorithms a token may be signed with. Default `['HS256']`; `none` is never accepted. */
  algorithms?: readonly JwtAlgorithm[];
  /** Accepted `iss` values; unchecked when omitted. */
  issuer?: string | readonly string[];
  /** Accepted `aud` values; unchecked when omitted. */
  audience?: string | RegExp | readonly (string | RegExp)[];
  /** Seconds of clock skew allowed on `exp` and `nbf`. Default 0. */
  clockToleranceSec?: number;
  /** When true, the server refuses clients without a valid token. Default false. */
  required?: boolean;
  /**
   * How long a client that connected without a token has to send `auth.login`. Default 10 000.
   * 0 turns `auth.login` off: with `required`, a connection without a token is refused with 401.
   */
  loginTimeoutMs?: number;
  /** The claim that holds the user id (string or number). Default `'sub'`. */
  userIdClaim?: string;
  /** The claim copied to `user.email` when it is a string. Default `'email'`. */
  emailClaim?: string;
  /** Where the start-up warning about a short secret goes. Default: `process.emitWarning`. */
  logger?: Pick<Logger, 'warn'>;
}

/** Exactly one of `secret` (HS*) or `publicKey` (RS*, PS*, ES*). */
export type JwtAuthenticatorOptions = JwtCommonOptions &
  ({ secret: string | Buffer; publicKey?: undefined } | { publicKey: KeyInput; secret?: undefined });

export const DEFAULT_JWT_OPTIONS = Object.freeze({
  algorithms: Object.freeze(['HS256'] as JwtAlgorithm[]) as readonly JwtAlgorithm[],
  clockToleranceSec: 0,
  required: false,
  loginTimeoutMs: 10_000,
  userIdClaim: 'sub',
  emailClaim: 'email',
});

/** The checked options, ready for `jsonwebtoken.verify`. */
export interface ResolvedJwtOptions {
  key: KeyObject;
  verifyOptions: VerifyOptions;
  required: boolean;
  loginTimeoutMs: number;
  userIdClaim: string;
  emailClaim: string;
  /** Set when the secret is shorter than RFC 7518 asks for its algorithms. */
  weakSecret: string | undefined;
}

const WHERE = 'createJwtAuthenticator';

export function resolveJwtOptions(options: JwtAuthenticatorOptions): ResolvedJwtOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${WHERE}: pass an options object, e.g. { secret: process.env.JWT_SECRET_KEY }.`);
  }
  const { secret, publicKey } = options;
  if (secret === undefined && publicKey === undefined) {
    throw new TypeError(
      `${WHERE}: pass either secret (for HS256) or publicKey (for RS256/ES256); neither was given.`,
    );
  }
  if (secret !== undefined && publicKey !== undefined) {
    throw new TypeError(
      `${WHERE}: pass secret or publicKey, not both; one authenticator verifies with one key.`,
    );
  }
  if (options.logger !== undefined && typeof options.logger?.warn !== 'function') {
    throw new TypeError(`${WHERE}: logger must have a warn method (a pino or console-like logger).`);
  }
  const algorithms = checkAlgorithms(options.algorithms ?? DEFAULT_JWT_OPTIONS.algorithms, WHERE);
  let key: KeyObject;
  if (secret !== undefined) {
    if (!algorithms.every(algorithm => algorithm.startsWith('HS'))) {
      throw new TypeError(
        `${WHERE}: ${algorithms.join(', ')} needs a publicKey, not a secret; use algorithms ['HS256'] with a secret.`,
      );
    }
    key = toSecretKey(secret, WHERE);
  } else {
    if (algorithms.some(algorithm => algorithm.startsWith('HS'))) {
      throw new TypeError(
        `${WHERE}: a publicKey verifies RS*/PS*/ES* tokens; set algorithms (e.g. ['RS256']) instead of HS*.`,
      );
    }
    key = toPublicKey(publicKey, algorithms, WHERE);
  }

  const verifyOptions: VerifyOptions = {
    algorithms: [...algorithms] as Algorithm[],
    clockTolerance: nonNegative(
      options.clockToleranceSec,
      'clockToleranceSec',
      DEFAULT_JWT_OPTIONS.clockToleranceSec,
    ),
  };
  if (options.issuer !== undefined) verifyOptions.issuer = checkIssuer(options.issuer);
  if (options.audience !== undefined) verifyOptions.audience = checkAudience(options.audience);

  const required = options.required ?? DEFAULT_JWT_OPTIONS.required;
  if (typeof required !== 'boolean') throw new TypeError(`${WHERE}: required must be true or false.`);
  const loginTimeoutMs = options.loginTimeoutMs ?? DEFAULT_JWT_OPTIONS.loginTimeoutMs;
  if (!Number.isSafeInteger(loginTimeoutMs) || loginTimeoutMs < 0) {
    throw new TypeError(
      `${WHERE}: loginTimeoutMs must be a whole number of milliseconds, e.g. 10000 (0: no auth.login).`,
    );
  }
  return {
    key,
    verifyOptions,
    required,
    loginTimeoutMs,
    userIdClaim: claimName(options.userIdClaim, 'userIdClaim', DEFAULT_JWT_OPTIONS.userIdClaim),
    emailClaim: claimName(options.emailClaim, 'emailClaim', DEFAULT_JWT_OPTIONS.emailClaim),
    weakSecret: weakSecretWarning(key, algorithms, WHERE),
  };
}

function nonNegative(value: number | undefined, name: string, fallback: number): number {
  const result = value ?? fallback;
  if (typeof result !== 'number' || !Number.isFinite(result) || result < 0) {
    throw new TypeError(`${WHERE}: ${name} must be a number of seconds >= 0, e.g. 5.`);
  }
  return result;
}

function claimName(value: string | undefined, name: string, fallback: string): string {
  const result = value ?? fallback;
  if (typeof result !== 'string' || result === '') {
    throw new TypeError(`${WHERE}: ${name} must be a non-empty claim name, e.g. '${fallback}'.`);
  }
  return result;
}

function checkIssuer(issuer: string | readonly string[]): string | [string, ...string[]] {
  const list = typeof issuer === 'string' ? [issuer] : issuer;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every(item => typeof item === 'string' && item !== '')
  ) {
    throw new TypeError(`${WHERE}: issuer must be a non-empty string or array of strings.`);
  }
  return typeof issuer === 'string' ? issuer : (list.slice() as [string, ...string[]]);
}

function checkAudience(
  audience: string | RegExp | readonly (string | RegExp)[],
): string | RegExp | [string | RegExp, ...(string | RegExp)[]] {
  const list = Array.isArray(audience) ? audience : [audience];
  const valid = (item: unknown) => (typeof item === 'string' && item !== '') || item instanceof RegExp;
  if (list.length === 0 || !list.every(valid)) {
    throw new TypeError(`${WHERE}: audience must be a non-empty string, a RegExp, or an array of them.`);
  }
  const copy = list.map(item => (item instanceof RegExp ? statelessRegExp(item) : item));
  return copy as [string | RegExp, ...(string | RegExp)[]];
}
