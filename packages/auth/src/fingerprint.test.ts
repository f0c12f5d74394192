import { describe, expect, it } from 'vitest';
import { tokenFingerprint } from './fingerprint';

describe('tokenFingerprint', () => {
  it('is the first 8 hex digits of the SHA-256 of the token', () => {
    // SHA-256("abc") = ba7816bf 8f01cfea ... (FIPS 180-2 test vector)
    expect(tokenFingerprint('abc')).toBe('ba7816bf');
  });

  it('is stable for one token and differs between tokens', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9.sig';
    expect(tokenFingerprint(token)).toBe(tokenFingerprint(token));
    expect(tokenFingerprint(token)).not.toBe(tokenFingerprint(`${token}x`));
    expect(tokenFingerprint(token)).toMatch(/^[0-9a-f]{8}$/);
  });

  it('throws a TypeError for a non-string', () => {
    expect(() => tokenFingerprint(undefined as unknown as string)).toThrow(TypeError);
  });
});
