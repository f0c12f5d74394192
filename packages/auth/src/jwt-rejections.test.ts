import { createHmac, generateKeyPairSync } from 'node:crypto';
import { ErrorCode, RoomcastError } from '@roomcast/protocol';
import { describe, expect, it } from 'vitest';
import { AuthFailure } from './auth-failure';
import { createJwtAuthenticator } from './jwt-authenticator';
import { signToken } from './sign-token';

const secret = 'the-real-secret-of-at-least-32-bytes';
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const now = () => Math.floor(Date.now() / 1000);

const hs = createJwtAuthenticator({ secret, issuer: 'chat', audience: 'ws' });
const rs = createJwtAuthenticator({ publicKey: rsaPublicPem, algorithms: ['RS256'] });
const good = { secret, issuer: 'chat', audience: 'ws' };

const b64url = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Builds a token by hand, as an attacker would; `sign` receives the signing input. */
function craft(header: object, payload: unknown, sign: (input: string) => string = () => ''): string {
  const input = `${b64url(header)}.${b64url(payload)}`;
  return `${input}.${sign(input)}`;
}

/** Verifies and returns the rejection, after checking it is UNAUTHORIZED and leaks nothing. */
async function rejection(auth: typeof hs, token: string): Promise<RoomcastError> {
  const error = await auth.verify(token).then(
    () => expect.fail('the token was accepted'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(RoomcastError);
  const roomcastError = error as RoomcastError;
  expect(roomcastError.code).toBe(ErrorCode.UNAUTHORIZED);
  expect(Object.values(AuthFailure)).toContain(roomcastError.message);
  expect(roomcastError.cause).toBeUndefined();
  const visible = [roomcastError.message, String(error), JSON.stringify(error), roomcastError.stack].join(
    '\n',
  );
  // Neither the token nor any of its three segments (which decode to the claims) may show.
  for (const part of [token, ...token.split('.')].filter(part => part.length >= 8)) {
    expect(visible).not.toContain(part);
  }
  expect(visible).not.toMatch(/eyJ[\w-]{4,}/);
  return roomcastError;
}

describe('createJwtAuthenticator: rejections', () => {
  it.each([
    ['an empty token', '', AuthFailure.MISSING],
    ['a token that is not a JWT', 'not-a-token-at-all', AuthFailure.MALFORMED],
    ['a token with an unreadable header', 'eyJhbGciOi.eyJzdWIiOiJ1MSJ9.c2ln', AuthFailure.MALFORMED],
  ])('refuses %s', async (_, token, reason) => {
    expect((await rejection(hs, token)).message).toBe(reason);
  });

  it('refuses a payload that claims to be JSON but is not, without quoting it', async () => {
    const token = craft({ alg: 'HS256', typ: 'JWT' }, 'secret-claims{', input =>
      createHmac('sha256', secret).update(input).digest('base64url'),
    );
    expect((await rejection(hs, token)).message).toBe(AuthFailure.MALFORMED);
  });

  it('refuses a signed payload that is not a claims object', async () => {
    const token = craft({ alg: 'HS256' }, 'just text', input =>
      createHmac('sha256', secret).update(input).digest('base64url'),
    );
    expect((await rejection(createJwtAuthenticator({ secret }), token)).message).toBe(AuthFailure.INVALID);
  });

  it('refuses expired and not-yet-valid tokens', async () => {
    const expired = signToken({ sub: 'u1', exp: now() - 60 }, good);
    expect((await rejection(hs, expired)).message).toBe(AuthFailure.EXPIRED);
    const early = signToken({ sub: 'u1', nbf: now() + 600 }, good);
    expect((await rejection(hs, early)).message).toBe(AuthFailure.NOT_YET_VALID);
  });

  it('refuses a tampered payload and a token signed with another key', async () => {
    const [header, , signature] = signToken({ sub: 'u1' }, good).split('.');
    const forged = `${header}.${b64url({ sub: 'admin', iss: 'chat', aud: 'ws' })}.${signature}`;
    expect((await rejection(hs, forged)).message).toBe(AuthFailure.BAD_SIGNATURE);
    const otherSecret = signToken({ sub: 'u1' }, { ...good, secret: 'another-secret-of-at-least-32-bytes' });
    expect((await rejection(hs, otherSecret)).message).toBe(AuthFailure.BAD_SIGNATURE);
    const otherKey = signToken({ sub: 'u1' }, { privateKey: otherRsa.privateKey, algorithm: 'RS256' });
    expect((await rejection(rs, otherKey)).message).toBe(AuthFailure.BAD_SIGNATURE);
  });

  it('refuses a wrong or missing issuer and audience', async () => {
    const wrongIssuer = signToken({ sub: 'u1' }, { ...good, issuer: 'evil' });
    expect((await rejection(hs, wrongIssuer)).message).toBe(AuthFailure.ISSUER);
    const noIssuer = signToken({ sub: 'u1' }, { secret, audience: 'ws' });
    expect((await rejection(hs, noIssuer)).message).toBe(AuthFailure.ISSUER);
    const wrongAudience = signToken({ sub: 'u1' }, { ...good, audience: 'admin' });
    expect((await rejection(hs, wrongAudience)).message).toBe(AuthFailure.AUDIENCE);
  });

  it.each([
    ['no sub', {}],
    ['an empty sub', { sub: '' }],
    ['an object sub', { sub: { id: 1 } }],
    ['a boolean sub', { sub: true }],
  ])('refuses a valid token with %s', async (_, claims) => {
    expect((await rejection(hs, signToken(claims, good))).message).toBe(AuthFailure.NO_USER_ID);
  });

  it('refuses a token without the configured userIdClaim even when sub is present', async () => {
    const auth = createJwtAuthenticator({ secret, userIdClaim: 'uid' });
    expect((await rejection(auth, signToken({ sub: 'u1' }, { secret }))).message).toBe(
      AuthFailure.NO_USER_ID,
    );
  });
});

describe('createJwtAuthenticator: algorithm attacks', () => {
  it.each(['none', 'None', 'NONE'])('refuses an unsigned alg: %s token', async alg => {
    const unsigned = craft({ alg, typ: 'JWT' }, { sub: 'admin', iss: 'chat', aud: 'ws' });
    expect((await rejection(hs, unsigned)).message).toBe(AuthFailure.ALGORITHM);
    expect((await rejection(rs, unsigned)).message).toBe(AuthFailure.ALGORITHM);
  });

  it('refuses an alg: none token that carries a made-up signature', async () => {
    const token = craft({ alg: 'none' }, { sub: 'admin' }, () => 'c2lnbmF0dXJl');
    expect((await rejection(rs, token)).message).toBe(AuthFailure.ALGORITHM);
  });

  it('refuses an HS256 token signed with the RSA public key as HMAC secret (key confusion)', async () => {
    const token = craft({ alg: 'HS256', typ: 'JWT' }, { sub: 'admin' }, input =>
      createHmac('sha256', rsaPublicPem).update(input).digest('base64url'),
    );
    expect((await rejection(rs, token)).message).toBe(AuthFailure.ALGORITHM);
  });

  it('refuses algorithms that are valid but not listed', async () => {
    const hs512 = signToken({ sub: 'u1' }, { ...good, algorithm: 'HS512' });
    expect((await rejection(hs, hs512)).message).toBe(AuthFailure.ALGORITHM);
    const es256 = signToken({ sub: 'u1' }, { privateKey: ec.privateKey, algorithm: 'ES256' });
    expect((await rejection(rs, es256)).message).toBe(AuthFailure.ALGORITHM);
    const ps256 = signToken({ sub: 'u1' }, { privateKey: rsa.privateKey, algorithm: 'PS256' });
    expect((await rejection(rs, ps256)).message).toBe(AuthFailure.ALGORITHM);
  });
});
