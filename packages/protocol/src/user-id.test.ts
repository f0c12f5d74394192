import { describe, expect, it } from 'vitest';
import { sameUserId, userIdKey } from './user-id';

describe('user ids', () => {
  it('match by their string form', () => {
    expect(userIdKey(123)).toBe('123');
    expect(sameUserId(123, '123')).toBe(true);
    expect(sameUserId('u1', 'u1')).toBe(true);
    expect(sameUserId(123, '1234')).toBe(false);
  });

  it('never match an anonymous id', () => {
    expect(sameUserId(null, null)).toBe(false);
    expect(sameUserId(undefined, 'null')).toBe(false);
    expect(sameUserId('null', null)).toBe(false);
  });
});
