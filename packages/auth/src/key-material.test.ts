import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { createJwtAuthenticator } from './jwt-authenticator';
import { signToken } from './sign-token';

const quiet = { warn: vi.fn() };
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rsaPss = generateKeyPairSync('rsa-pss', {
  modulusLength: 2048,
  hashAlgorithm: 'sha256',
  mgf1HashAlgorithm: 'sha256',
});
const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });

describe('algorithm names', () => {
  it("refuses 'none' in any case, saying why", () => {
    for (const none of ['none', 'NONE', 'None']) {
      expect(() => createJwtAuthenticator({ secret: 'x'.repeat(32), algorithms: [none as 'HS256'] })).toThrow(
        /'none' is not allowed: unsigned tokens let anyone claim any user id/,
      );
    }
    expect(() => signToken({ sub: 'u1' }, { secret: 'x'.repeat(32), algorithm: 'none' as 'HS256' })).toThrow(
      /'none' is not allowed/,
    );
  });

  it('refuses an unknown algorithm, naming it and the known ones', () => {
    expect(() =>
      createJwtAuthenticator({ secret: 'x'.repeat(32), algorithms: ['HS999' as 'HS256'] }),
    ).toThrow(/unknown algorithm HS999; use one of HS256, HS384, HS512, RS256/);
    expect(() => createJwtAuthenticator({ secret: 'x'.repeat(32), algorithms: [256 as never] })).toThrow(
      /unknown algorithm 256/,
    );
  });

  it('accepts every HMAC algorithm with a secret', () => {
    const auth = createJwtAuthenticator({ secret: 'x'.repeat(64), algorithms: ['HS256', 'HS384', 'HS512'] });
    expect(auth.required).toBe(false);
  });
});

describe('HMAC secret length', () => {
  it('accepts 16 bytes and refuses 15, telling the size and how to make a better one', () => {
    expect(() => createJwtAuthenticator({ secret: '0123456789abcdef', logger: quiet })).not.toThrow();
    expect(() => createJwtAuthenticator({ secret: Buffer.alloc(16, 1), logger: quiet })).not.toThrow();
    expect(() => createJwtAuthenticator({ secret: '0123456789abcde', logger: quiet })).toThrow(
      /the secret is 15 bytes; HMAC secrets must be at least 16 \(32 or more for HS256, RFC 7518 section 3\.2\), or one token is enough to guess it offline\. Generate one with: node -e/,
    );
    expect(() => signToken({ sub: 'u1' }, { secret: Buffer.alloc(15, 1) })).toThrow(
      /^signToken: the secret is 15 bytes/,
    );
  });
});

describe('which keys fit which algorithms', () => {
  const pub = (pair: { publicKey: import('node:crypto').KeyObject }) => pair.publicKey;

  it('takes an RSA key for RS* and PS*, and refuses it for ES*', () => {
    for (const algorithm of ['RS256', 'RS512', 'PS256', 'PS384'] as const) {
      expect(() => createJwtAuthenticator({ publicKey: pub(rsa), algorithms: [algorithm] })).not.toThrow();
    }
    expect(() => createJwtAuthenticator({ publicKey: pub(rsa), algorithms: ['ES256'] })).toThrow(
      /a rsa key cannot be used with ES256; RSA keys take RS\*\/PS\*/,
    );
  });

  it('takes an RSA-PSS key only for PS*', () => {
    expect(() =>
      createJwtAuthenticator({ publicKey: pub(rsaPss), algorithms: ['PS256', 'PS512'] }),
    ).not.toThrow();
    expect(() => createJwtAuthenticator({ publicKey: pub(rsaPss), algorithms: ['RS256'] })).toThrow(
      /a rsa-pss key cannot be used with RS256/,
    );
    expect(() => createJwtAuthenticator({ publicKey: pub(rsaPss), algorithms: ['ES256'] })).toThrow(
      /a rsa-pss key cannot be used with ES256/,
    );
    const token = signToken({ sub: 'u1' }, { privateKey: rsaPss.privateKey, algorithm: 'PS256' });
    expect(token.split('.')).toHaveLength(3);
  });

  it('takes an EC key only for the algorithm of its curve, naming the curve when refused', () => {
    expect(() => createJwtAuthenticator({ publicKey: pub(p256), algorithms: ['ES256'] })).not.toThrow();
    expect(() => createJwtAuthenticator({ publicKey: pub(p384), algorithms: ['ES384'] })).not.toThrow();
    expect(() => createJwtAuthenticator({ publicKey: pub(p384), algorithms: ['ES256'] })).toThrow(
      /^createJwtAuthenticator: a ec \(secp384r1\) key cannot be used with ES256; RSA keys take RS\*\/PS\*, EC keys ES256 \(P-256\)/,
    );
    expect(() => createJwtAuthenticator({ publicKey: pub(p256), algorithms: ['PS256'] })).toThrow(
      /a ec \(prime256v1\) key cannot be used with PS256/,
    );
    expect(() => createJwtAuthenticator({ publicKey: pub(p256), algorithms: ['RS256'] })).toThrow(
      /a ec \(prime256v1\) key cannot be used with RS256/,
    );
  });

  it('checks the private key against the signing algorithm too', () => {
    expect(() => signToken({ sub: 'u1' }, { privateKey: p384.privateKey, algorithm: 'ES256' })).toThrow(
      /^signToken: a ec \(secp384r1\) key cannot be used with ES256/,
    );
    const pem = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => signToken({ sub: 'u1' }, { privateKey: pem, algorithm: 'ES512' })).toThrow(
      /^signToken: a rsa key cannot be used with ES512/,
    );
  });
});

describe('keys in the wrong role or form', () => {
  it('refuses a private key given as publicKey and a public key given as privateKey', () => {
    expect(() => createJwtAuthenticator({ publicKey: rsa.privateKey, algorithms: ['RS256'] })).toThrow(
      /publicKey is a private key; pass the public key \(createPublicKey\(privateKey\)\)/,
    );
    expect(() => signToken({ sub: 'u1' }, { privateKey: rsa.publicKey, algorithm: 'RS256' })).toThrow(
      /signToken: privateKey must be a private key/,
    );
    const publicPem = rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => signToken({ sub: 'u1' }, { privateKey: publicPem, algorithm: 'RS256' })).toThrow(
      /signToken: privateKey is not a valid PEM private key/,
    );
  });

  it('refuses an empty PEM, a non-PEM value and text that is not a key, each with its own message', () => {
    const must = /publicKey must be a PEM string, a Buffer or a KeyObject/;
    expect(() => createJwtAuthenticator({ publicKey: '', algorithms: ['RS256'] })).toThrow(must);
    expect(() => createJwtAuthenticator({ publicKey: 42 as never, algorithms: ['RS256'] })).toThrow(must);
    expect(() =>
      createJwtAuthenticator({ publicKey: ['-----BEGIN PUBLIC KEY-----'] as never, algorithms: ['RS256'] }),
    ).toThrow(must);
    expect(() => createJwtAuthenticator({ publicKey: 'not a key', algorithms: ['RS256'] })).toThrow(
      /publicKey is not a valid PEM public key/,
    );
    const mustPrivate = /^signToken: privateKey must be a PEM string, a Buffer or a KeyObject\.$/;
    expect(() => signToken({ sub: 'u1' }, { privateKey: '', algorithm: 'RS256' })).toThrow(mustPrivate);
    expect(() => signToken({ sub: 'u1' }, { privateKey: 42 as never, algorithm: 'RS256' })).toThrow(
      mustPrivate,
    );
    expect(() => signToken({ sub: 'u1' }, { privateKey: 'not a key', algorithm: 'RS256' })).toThrow(
      /^signToken: privateKey is not a valid PEM private key\.$/,
    );
  });
});
