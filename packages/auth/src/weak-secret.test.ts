import { describe, expect, it } from 'vitest';
import { createJwtAuthenticator, WEAK_SECRET_CODE } from './jwt-authenticator';
import { MIN_HMAC_SECRET_BYTES } from './key-material';
import { signToken } from './sign-token';

/** A real logger surface that keeps what it was told. */
function recorder() {
  const warnings: { fields: object | string; msg: string | undefined }[] = [];
  return {
    warnings,
    logger: { warn: (fields: object | string, msg?: string) => warnings.push({ fields, msg }) },
  };
}

describe('HMAC secret strength (RFC 7518 section 3.2)', () => {
  it('refuses a secret under 16 bytes with a TypeError that says how to make one', () => {
    expect(MIN_HMAC_SECRET_BYTES).toBe(16);
    const create = () => createJwtAuthenticator({ secret: 'x'.repeat(15) });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/the secret is 15 bytes; HMAC secrets must be at least 16/);
    expect(create).toThrow(/randomBytes\(32\)/);
    expect(() => createJwtAuthenticator({ secret: Buffer.alloc(3) })).toThrow(/3 bytes/);
    // A 3-character string of multi-byte characters is 9 bytes, and refused: bytes count, not characters.
    expect(() => createJwtAuthenticator({ secret: '€€€' })).toThrow(/9 bytes/);
    expect(() => signToken({ sub: 'u1' }, { secret: 'abc' })).toThrow(/signToken: the secret is 3 bytes/);
  });

  it('warns once at start-up for a secret shorter than the hash, and verifies with it', async () => {
    const { logger, warnings } = recorder();
    const secret = 'x'.repeat(20);
    const auth = createJwtAuthenticator({ secret, logger });
    await auth.verify(signToken({ sub: 'u1' }, { secret }));
    await auth.verify(signToken({ sub: 'u2' }, { secret }));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toEqual({ code: WEAK_SECRET_CODE });
    expect(warnings[0]?.msg).toMatch(/20 bytes; RFC 7518 section 3.2 asks for at least 32 for HS256/);
    expect(warnings[0]?.msg).not.toContain(secret);
  });

  it('asks for the hash size of every listed algorithm: 64 bytes for HS512', () => {
    const { logger, warnings } = recorder();
    createJwtAuthenticator({ secret: 'y'.repeat(32), logger });
    expect(warnings).toHaveLength(0);
    createJwtAuthenticator({ secret: 'y'.repeat(32), algorithms: ['HS256', 'HS512'], logger });
    expect(warnings.map(w => w.msg)).toEqual([expect.stringMatching(/at least 64 for HS256, HS512/)]);
    createJwtAuthenticator({ secret: 'y'.repeat(64), algorithms: ['HS512'], logger });
    expect(warnings).toHaveLength(1);
  });

  it('without a logger, warns through process.emitWarning with its code', async () => {
    const warned = new Promise<Error & { code?: string }>(resolve => {
      const listener = (warning: Error & { code?: string }) => {
        if (warning.code !== WEAK_SECRET_CODE) return;
        process.off('warning', listener);
        resolve(warning);
      };
      process.on('warning', listener);
    });
    createJwtAuthenticator({ secret: 'z'.repeat(24) });
    expect((await warned).message).toMatch(/the secret is 24 bytes/);
  });
});
