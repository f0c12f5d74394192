import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator } from './jwt-authenticator';
import type { JwtAlgorithm } from './key-material';
import { DEFAULT_JWT_OPTIONS } from './options';
import { signToken } from './sign-token';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ec = {
  ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  ES384: generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  ES512: generateKeyPairSync('ec', { namedCurve: 'P-521' }),
};
const rsaPublicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const SECRET = 'hs256-test-secret-of-32-bytes!!!';
const now = () => Math.floor(Date.now() / 1000);

describe('createJwtAuthenticator: algorithm families', () => {
  it.each(['HS256', 'HS384', 'HS512'] as const)(
    'verifies %s tokens signed with the shared secret',
    async alg => {
      const auth = createJwtAuthenticator({
        secret: 'hs512-shared-test-secret-of-64-bytes-long-enough-for-any-hmac!!!',
        algorithms: [alg],
      });
      const token = signToken(
        { sub: 'u1' },
        { secret: 'hs512-shared-test-secret-of-64-bytes-long-enough-for-any-hmac!!!', algorithm: alg },
      );
      await expect(auth.verify(token)).resolves.toMatchObject({ userId: 'u1', payload: { sub: 'u1' } });
    },
  );

  it('accepts a Buffer secret', async () => {
    const secret = Buffer.from('0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'hex');
    const auth = createJwtAuthenticator({ secret });
    const token = signToken({ sub: 'u2' }, { secret });
    await expect(auth.verify(token)).resolves.toMatchObject({ userId: 'u2' });
  });

  it.each(['RS256', 'RS384', 'RS512', 'PS256'] as const)(
    'verifies %s tokens with a PEM public key',
    async alg => {
      const auth = createJwtAuthenticator({ publicKey: rsaPublicPem, algorithms: [alg] });
      const token = signToken({ sub: 'u3' }, { privateKey: rsa.privateKey, algorithm: alg });
      await expect(auth.verify(token)).resolves.toMatchObject({ userId: 'u3' });
    },
  );

  it.each(Object.keys(ec) as (keyof typeof ec)[])(
    'verifies %s tokens with a KeyObject public key',
    async alg => {
      const auth = createJwtAuthenticator({ publicKey: ec[alg].publicKey, algorithms: [alg] });
      const token = signToken({ sub: 'u4' }, { privateKey: ec[alg].privateKey, algorithm: alg });
      await expect(auth.verify(token)).resolves.toMatchObject({ userId: 'u4' });
    },
  );

  it('accepts every listed algorithm of one family', async () => {
    const algorithms: JwtAlgorithm[] = ['RS256', 'PS256'];
    const auth = createJwtAuthenticator({ publicKey: rsa.publicKey, algorithms });
    for (const algorithm of algorithms) {
      const token = signToken({ sub: algorithm }, { privateKey: rsa.privateKey, algorithm });
      await expect(auth.verify(token)).resolves.toMatchObject({ userId: algorithm });
    }
  });
});

describe('createJwtAuthenticator: the user it resolves', () => {
  const secret = 'claims-secret-of-at-least-32-bytes';
  const auth = createJwtAuthenticator({ secret });

  it('copies email when the claim is a string, and expiresAt from exp', async () => {
    const exp = now() + 600;
    const user = await auth.verify(signToken({ sub: 'u1', email: 'ada@example.com', exp }, { secret }));
    expect(user).toEqual({
      userId: 'u1',
      email: 'ada@example.com',
      expiresAt: exp * 1000,
      payload: expect.objectContaining({ sub: 'u1', email: 'ada@example.com', exp }),
    });
  });

  it('leaves email and expiresAt out when the token has neither', async () => {
    const user = await auth.verify(signToken({ sub: 'u1', email: 42 }, { secret }));
    expect(user).not.toHaveProperty('email');
    expect(user).not.toHaveProperty('expiresAt');
  });

  it('keeps a numeric sub as a number', async () => {
    const user = await auth.verify(signToken({ sub: 42 }, { secret }));
    expect(user.userId).toBe(42);
  });

  it('freezes the payload, nested claims included', async () => {
    const user = await auth.verify(signToken({ sub: 'u1', rooms: ['private:a'] }, { secret }));
    expect(Object.isFrozen(user.payload)).toBe(true);
    expect(Object.isFrozen(user.payload['rooms'])).toBe(true);
    expect(() => (user.payload['rooms'] as string[]).push('private:b')).toThrow(TypeError);
  });

  it('reads the user id and email from the configured claims', async () => {
    const custom = createJwtAuthenticator({ secret, userIdClaim: 'uid', emailClaim: 'mail' });
    const token = signToken({ uid: 'user-7', mail: 'g@example.com', sub: 'ignored' }, { secret });
    await expect(custom.verify(token)).resolves.toMatchObject({ userId: 'user-7', email: 'g@example.com' });
  });

  it('accepts matching issuer and audience (string, list, RegExp)', async () => {
    const checked = createJwtAuthenticator({ secret, issuer: ['a', 'chat'], audience: [/^ws:/, 'other'] });
    const token = signToken({ sub: 'u1' }, { secret, issuer: 'chat', audience: 'ws:eu' });
    await expect(checked.verify(token)).resolves.toMatchObject({ userId: 'u1' });
    // A global RegExp would alternate between match and no match if its lastIndex were kept.
    const global = createJwtAuthenticator({ secret, audience: /ws/g });
    await expect(global.verify(token)).resolves.toBeDefined();
    await expect(global.verify(token)).resolves.toBeDefined();
  });
});

describe('createJwtAuthenticator: clock tolerance', () => {
  const secret = 'clock-secret-of-at-least-32-bytes!';

  it('accepts a token expired within clockToleranceSec and refuses it without', async () => {
    const token = signToken({ sub: 'u1', exp: now() - 5 }, { secret });
    await expect(
      createJwtAuthenticator({ secret, clockToleranceSec: 60 }).verify(token),
    ).resolves.toBeDefined();
    await expect(createJwtAuthenticator({ secret }).verify(token)).rejects.toThrow('Token expired');
  });

  it('accepts a token whose nbf is within clockToleranceSec and refuses it without', async () => {
    const token = signToken({ sub: 'u1', nbf: now() + 5 }, { secret });
    await expect(
      createJwtAuthenticator({ secret, clockToleranceSec: 60 }).verify(token),
    ).resolves.toBeDefined();
    await expect(createJwtAuthenticator({ secret }).verify(token)).rejects.toThrow('Token not yet valid');
  });
});

describe('createJwtAuthenticator: server settings', () => {
  it('passes required and loginTimeoutMs through, with the documented defaults', () => {
    const defaults = createJwtAuthenticator({ secret: SECRET });
    expect(defaults).toMatchObject({ required: false, loginTimeoutMs: 10_000 });
    expect(DEFAULT_JWT_OPTIONS).toMatchObject({
      algorithms: ['HS256'],
      clockToleranceSec: 0,
      userIdClaim: 'sub',
    });
    const strict = createJwtAuthenticator({ secret: SECRET, required: true, loginTimeoutMs: 2_500 });
    expect(strict).toMatchObject({ required: true, loginTimeoutMs: 2_500 });
  });

  it('works when verify is called detached from the authenticator', async () => {
    const { verify } = createJwtAuthenticator({ secret: SECRET });
    await expect(verify(signToken({ sub: 'u1' }, { secret: SECRET }))).resolves.toMatchObject({
      userId: 'u1',
    });
  });
});
