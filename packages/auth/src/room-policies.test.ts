import type { AuthUser } from '@roomcast/protocol';
import { describe, expect, it, vi } from 'vitest';
import {
  claimRoomPolicy,
  composePolicies,
  type PolicyJoinRequest,
  type RoomPolicy,
  userRoomPolicy,
} from './room-policies';

const user = (userId: string | number, payload: Record<string, unknown> = {}): AuthUser => ({
  userId,
  payload: { sub: userId, ...payload },
});
const join = (roomName: string, who?: AuthUser): PolicyJoinRequest => ({ client: { user: who }, roomName });

describe('userRoomPolicy', () => {
  const policy = userRoomPolicy({ prefix: 'notifications:user:' });

  it('lets only the user with that id join their room', () => {
    expect(policy(join('notifications:user:u1', user('u1')))).toBe(true);
    expect(policy(join('notifications:user:u1', user('u2')))).toBe(false);
    expect(policy(join('notifications:user:u1'))).toBe(false);
  });

  it('compares numeric ids as text and needs the whole suffix to match', () => {
    expect(policy(join('notifications:user:42', user(42)))).toBe(true);
    expect(policy(join('notifications:user:42:extra', user(42)))).toBe(false);
    expect(policy(join('notifications:user:4', user(42)))).toBe(false);
  });

  it('allows rooms without the prefix, to anyone', () => {
    expect(policy(join('chat:general'))).toBe(true);
  });

  it('is a named function and refuses an empty prefix', () => {
    expect(policy.name).toBe('userRoom');
    expect(() => userRoomPolicy({ prefix: '' })).toThrow(TypeError);
  });
});

describe('claimRoomPolicy', () => {
  const member = user('u1', { rooms: ['private:ops', 'vip'] });

  it('allows a matching room only when the claim lists it', () => {
    const policy = claimRoomPolicy({ match: /^private:/, claim: 'rooms' });
    expect(policy(join('private:ops', member))).toBe(true);
    expect(policy(join('private:hr', member))).toBe(false);
    expect(policy(join('private:ops'))).toBe(false);
    expect(policy(join('private:ops', user('u2')))).toBe(false);
    expect(policy(join('private:ops', user('u3', { rooms: 'private:ops' })))).toBe(false);
    expect(policy(join('chat:general'))).toBe(true);
  });

  it('reads the default rooms claim or a custom one', () => {
    expect(claimRoomPolicy({ match: 'vip' })(join('vip', member))).toBe(true);
    const channels = claimRoomPolicy({ match: 'vip', claim: 'channels' });
    expect(channels(join('vip', member))).toBe(false);
    expect(channels(join('vip', user('u4', { channels: ['vip'] })))).toBe(true);
  });

  it('treats a string with * as a glob and without as an exact name', () => {
    const glob = claimRoomPolicy({ match: 'private:*' });
    expect(glob(join('private:hr', member))).toBe(false);
    expect(glob(join('private.hr', member))).toBe(true);
    const exact = claimRoomPolicy({ match: 'private:ops' });
    expect(exact(join('private:hr', member))).toBe(true);
  });

  it('gives the same answer every time for a global RegExp', () => {
    const policy = claimRoomPolicy({ match: /^private:/g });
    const answers = [1, 2, 3].map(() => policy(join('private:hr', member)));
    expect(answers).toEqual([false, false, false]);
  });

  it('accepts a predicate as match', () => {
    const policy = claimRoomPolicy({ match: name => name.endsWith(':secret') });
    expect(policy(join('a:secret', member))).toBe(false);
    expect(policy(join('a:open', member))).toBe(true);
  });

  it('is a named function and refuses a missing match or empty claim', () => {
    expect(claimRoomPolicy({ match: 'x' }).name).toBe('claimRoom');
    expect(() => claimRoomPolicy({} as never)).toThrow(/match must be/);
    expect(() => claimRoomPolicy({ match: 'x', claim: '' })).toThrow(TypeError);
  });
});

describe('composePolicies', () => {
  const allow: RoomPolicy = () => true;
  const deny: RoomPolicy = () => false;

  it('allows only when every policy allows, synchronously when they all are', () => {
    expect(composePolicies(allow, allow)(join('r'))).toBe(true);
    expect(composePolicies(allow, deny)(join('r'))).toBe(false);
  });

  it('stops at the first refusal', () => {
    const later = vi.fn(allow);
    expect(composePolicies(deny, later)(join('r'))).toBe(false);
    expect(later).not.toHaveBeenCalled();
  });

  it('awaits asynchronous policies and keeps their order', async () => {
    const order: string[] = [];
    const slow: RoomPolicy = async () => {
      order.push('slow');
      return true;
    };
    const after: RoomPolicy = () => {
      order.push('after');
      return false;
    };
    await expect(composePolicies(slow, after)(join('r'))).resolves.toBe(false);
    expect(order).toEqual(['slow', 'after']);
    await expect(composePolicies(allow, async () => true)(join('r'))).resolves.toBe(true);
    await expect(composePolicies(async () => false, allow)(join('r'))).resolves.toBe(false);
  });

  it('refuses on anything but true', () => {
    const truthy = (() => 1) as unknown as RoomPolicy;
    expect(composePolicies(truthy)(join('r'))).toBe(false);
  });

  it('combines the auth policies', () => {
    const policy = composePolicies(
      userRoomPolicy({ prefix: 'user:' }),
      claimRoomPolicy({ match: 'private:*' }),
    );
    expect(policy(join('user:u1', user('u1')))).toBe(true);
    expect(policy(join('private:x', user('u1')))).toBe(false);
    expect(policy.name).toBe('allPolicies');
  });

  it('throws a TypeError without policies or with a non-function', () => {
    expect(() => composePolicies()).toThrow(TypeError);
    expect(() => composePolicies(allow, 'deny' as unknown as RoomPolicy)).toThrow(/policy functions/);
  });
});
