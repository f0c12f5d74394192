import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from './jwt-authenticator';
import type { JwtAuthenticatorOptions } from './options';

// EC keys are cheap to generate; the RSA one is needed for the key/algorithm mismatch cases.
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (
  key: { export(options: { type: 'spki' | 'pkcs8'; format: 'pem' }): string | Buffer },
  type: 'spki' | 'pkcs8',
) => key.export({ type, format: 'pem' }).toString();

const SECRET = 'hs256-test-secret-of-32-bytes!!!';

/** For options a TypeScript user cannot write but a JavaScript user (or an unset env var) can. */
const loose = (options: Record<string, unknown>) => options as unknown as JwtAuthenticatorOptions;

describe('createJwtAuthenticator: misused options throw a TypeError that says what to do', () => {
  it.each([
    ['no options at all', undefined, /options object/],
    ['neither secret nor publicKey', {}, /either secret .* or publicKey/],
    ['an unset secret env var', { secret: undefined }, /either secret/],
    ['an empty secret', { secret: '' }, /non-empty string or Buffer/],
    ['both secret and publicKey', { secret: SECRET, publicKey: pem(p256.publicKey, 'spki') }, /not both/],
    ["'none' in algorithms", { secret: SECRET, algorithms: ['HS256', 'none'] }, /'none' is not allowed/],
    ['an unknown algorithm', { secret: SECRET, algorithms: ['HS1'] }, /unknown algorithm HS1; use one of/],
    ['an empty algorithm list', { secret: SECRET, algorithms: [] }, /non-empty array/],
    ['HMAC mixed with RSA', { secret: SECRET, algorithms: ['HS256', 'RS256'] }, /do not mix/],
    [
      'an asymmetric algorithm with only a secret',
      { secret: SECRET, algorithms: ['RS256'] },
      /needs a publicKey/,
    ],
    ['HS256 with a public key', { publicKey: p256.publicKey, algorithms: ['HS256'] }, /instead of HS/],
    ['a public key with the default HS256', { publicKey: p256.publicKey }, /set algorithms/],
    [
      'a private KeyObject as publicKey',
      { publicKey: p256.privateKey, algorithms: ['ES256'] },
      /pass the public key/,
    ],
    [
      'a private PEM as publicKey',
      { publicKey: pem(p256.privateKey, 'pkcs8'), algorithms: ['ES256'] },
      /public key PEM/,
    ],
    [
      'a secret KeyObject as publicKey',
      { publicKey: createSecretKey(Buffer.from('k')), algorithms: ['RS256'] },
      /public key/,
    ],
    ['text that is not a PEM key', { publicKey: 'not a key', algorithms: ['RS256'] }, /BEGIN PUBLIC KEY/],
    ['an EC key on the wrong curve', { publicKey: p384.publicKey, algorithms: ['ES256'] }, /ES256 \(P-256\)/],
    [
      'an RSA key with ES256',
      { publicKey: rsa.publicKey, algorithms: ['ES256'] },
      /rsa key cannot be used with ES256/,
    ],
    [
      'an EC key with RS256',
      { publicKey: p256.publicKey, algorithms: ['RS256'] },
      /cannot be used with RS256/,
    ],
    [
      'a negative loginTimeoutMs',
      { secret: SECRET, loginTimeoutMs: -1 },
      /loginTimeoutMs must be a whole number/,
    ],
    ['a fractional loginTimeoutMs', { secret: SECRET, loginTimeoutMs: 1.5 }, /loginTimeoutMs/],
    ['a negative clockToleranceSec', { secret: SECRET, clockToleranceSec: -1 }, /clockToleranceSec must be/],
    [
      'an infinite clockToleranceSec',
      { secret: SECRET, clockToleranceSec: Number.POSITIVE_INFINITY },
      /clockToleranceSec/,
    ],
    ['a non-boolean required', { secret: SECRET, required: 'yes' }, /required must be true or false/],
    [
      'an empty userIdClaim',
      { secret: SECRET, userIdClaim: '' },
      /userIdClaim must be a non-empty claim name/,
    ],
    ['an empty emailClaim', { secret: SECRET, emailClaim: '' }, /emailClaim/],
    ['an empty issuer list', { secret: SECRET, issuer: [] }, /issuer must be/],
    ['an empty audience list', { secret: SECRET, audience: [] }, /audience must be/],
  ])('throws for %s', (_, options, message) => {
    const create = () => createJwtAuthenticator(loose(options as Record<string, unknown>));
    expect(create).toThrow(TypeError);
    expect(create).toThrow(message);
  });

  it('names the factory in every message', () => {
    expect(() => createJwtAuthenticator(loose({}))).toThrow(/^createJwtAuthenticator: /);
  });

  it('accepts the same keys it refuses in the wrong role', () => {
    expect(() => createJwtAuthenticator({ publicKey: p256.publicKey, algorithms: ['ES256'] })).not.toThrow();
    expect(() =>
      createJwtAuthenticator({ publicKey: pem(rsa.publicKey, 'spki'), algorithms: ['RS256', 'PS512'] }),
    ).not.toThrow();
    expect(() =>
      createJwtAuthenticator({ secret: Buffer.alloc(64, 1), algorithms: ['HS256', 'HS512'] }),
    ).not.toThrow();
  });
});
