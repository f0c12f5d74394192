import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { type SignTokenOptions, signToken } from './sign-token';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ecPrivatePem = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const SECRET = 'hs256-test-secret-of-32-bytes!!!';
const loose = (options: Record<string, unknown>) => options as unknown as SignTokenOptions;

describe('signToken', () => {
  it('signs HS256 by default, with the registered claims it was given', () => {
    const token = signToken(
      { email: 'ada@example.com' },
      { secret: SECRET, expiresIn: '1h', issuer: 'chat', audience: ['ws', 'api'], subject: 'u1' },
    );
    const { header, payload } = jwt.decode(token, { complete: true }) as jwt.Jwt;
    const claims = payload as jwt.JwtPayload;
    expect(header.alg).toBe('HS256');
    expect(claims).toMatchObject({ sub: 'u1', iss: 'chat', aud: ['ws', 'api'], email: 'ada@example.com' });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(() => jwt.verify(token, SECRET, { algorithms: ['HS256'] })).not.toThrow();
  });

  it('takes expiresIn and notBefore in seconds', () => {
    const claims = jwt.decode(
      signToken({ sub: 'u1' }, { secret: SECRET, expiresIn: 90, notBefore: 30 }),
    ) as jwt.JwtPayload;
    expect(claims.exp! - claims.iat!).toBe(90);
    expect(claims.nbf! - claims.iat!).toBe(30);
  });

  it('signs ES256 with a private key given as PEM or KeyObject', () => {
    for (const privateKey of [ecPrivatePem, ec.privateKey]) {
      const token = signToken({ sub: 'u1' }, { privateKey, algorithm: 'ES256' });
      expect(jwt.verify(token, ec.publicKey, { algorithms: ['ES256'] })).toMatchObject({ sub: 'u1' });
    }
  });

  it('does not add iat or exp to the caller’s claims object', () => {
    const claims = { sub: 'u1' };
    signToken(claims, { secret: SECRET, expiresIn: 60 });
    expect(claims).toEqual({ sub: 'u1' });
  });

  it.each([
    ['claims that are not an object', 'u1', { secret: SECRET }, /claims must be an object/],
    ['neither secret nor privateKey', { sub: 'u1' }, {}, /either secret .* or privateKey/],
    ['both secret and privateKey', { sub: 'u1' }, { secret: SECRET, privateKey: ec.privateKey }, /not both/],
    ["the 'none' algorithm", { sub: 'u1' }, { secret: SECRET, algorithm: 'none' }, /'none' is not allowed/],
    [
      'an asymmetric algorithm with a secret',
      { sub: 'u1' },
      { secret: SECRET, algorithm: 'RS256' },
      /needs? a privateKey|signs with a privateKey/,
    ],
    ['HS256 with a private key', { sub: 'u1' }, { privateKey: ec.privateKey }, /instead of HS256/],
    [
      'a public key as privateKey',
      { sub: 'u1' },
      { privateKey: ec.publicKey, algorithm: 'ES256' },
      /must be a private key/,
    ],
    [
      'a key that does not fit the algorithm',
      { sub: 'u1' },
      { privateKey: ec.privateKey, algorithm: 'RS256' },
      /cannot be used with RS256/,
    ],
  ])('throws a TypeError for %s', (_, claims, options, message) => {
    const sign = () => signToken(claims as Record<string, unknown>, loose(options));
    expect(sign).toThrow(TypeError);
    expect(sign).toThrow(message);
  });
});
