import { describe, expect, it } from 'vitest';
import { MemoryHistory } from './memory-history';
import { MemoryRoomStore } from './memory-room-store';
import { DEFAULT_COUNT_BATCH_MS } from './presence-option';
import { cleanUsername, isValidRoomName } from './room-name';
import { createRoomSettings } from './room-settings';

describe('room names', () => {
  it.each(['general', 'chat:general', 'game:lobby:1', 'notifications:user:123', '#general', 'a'.repeat(128)])(
    'accepts %s',
    name => expect(isValidRoomName(name)).toBe(true),
  );
  it.each(['', ' ', 'has space', 'a'.repeat(129), 'new\nline', 'ünïcode', 42, null, undefined])(
    'refuses %s',
    name => expect(isValidRoomName(name)).toBe(false),
  );
  it('cleans display names', () => {
    expect(cleanUsername('  Ada  ')).toBe('Ada');
    expect(cleanUsername('   ')).toBeNull();
    expect(cleanUsername(42)).toBeNull();
    expect(cleanUsername('x'.repeat(100))).toHaveLength(64);
    expect(Array.from(cleanUsername('😀'.repeat(70)) ?? '')).toHaveLength(64);
  });
});

describe('createRoomSettings', () => {
  const settings = createRoomSettings([
    { match: 'chat:*', presence: true, history: { size: 50, ttlMs: 1000 } },
    { match: /^game:/, presence: true },
    { match: '*', presence: false },
  ]);
  it('takes the first pattern that matches', () => {
    const events = { mode: 'events', batchMs: 0 };
    const off = { mode: 'off', batchMs: 0 };
    expect(settings('chat:general')).toEqual({
      presence: true,
      presenceMode: events,
      history: { size: 50, ttlMs: 1000 },
    });
    expect(settings('game:lobby')).toEqual({ presence: true, presenceMode: events, history: undefined });
    expect(settings('other')).toEqual({ presence: false, presenceMode: off, history: undefined });
  });
  it('treats glob characters other than * literally', () => {
    const exact = createRoomSettings([{ match: 'a.b', presence: true }]);
    expect(exact('a.b').presence).toBe(true);
    expect(exact('axb').presence).toBe(false);
  });
  it('gives plain settings when nothing matches', () => {
    expect(createRoomSettings()('x')).toMatchObject({ presence: false, history: undefined });
  });
  it('reads batched and counts-only presence', () => {
    const modes = createRoomSettings([
      { match: 'diff', presence: { batchMs: 250 } },
      { match: 'count', presence: 'count' },
      { match: 'fast-count', presence: { batchMs: 100, count: true } },
    ]);
    expect(modes('diff')).toMatchObject({ presence: true, presenceMode: { mode: 'diff', batchMs: 250 } });
    expect(modes('count').presenceMode).toEqual({ mode: 'count', batchMs: DEFAULT_COUNT_BATCH_MS });
    expect(modes('fast-count').presenceMode).toEqual({ mode: 'count', batchMs: 100 });
    for (const presence of [{ batchMs: 0 }, { batchMs: 1.5 }, { batchMs: 120_000 }, 'counts'])
      expect(() => createRoomSettings([{ match: 'a', presence: presence as never }])).toThrow(/batchMs/);
  });
  it('throws a TypeError for a bad history or match', () => {
    expect(() => createRoomSettings([{ match: 'a', history: { size: 0, ttlMs: 1 } }])).toThrow(TypeError);
    expect(() => createRoomSettings([{ match: '' }])).toThrow(TypeError);
  });
});

describe('MemoryRoomStore', () => {
  it('keeps members per room and forgets a node', async () => {
    const store = new MemoryRoomStore();
    await store.add('r', { clientId: 'c1', nodeId: 'n1', userId: 'u1', username: 'Ada' });
    await store.add('r', { clientId: 'c2', nodeId: 'n2', userId: null, username: null });
    await store.add('s', { clientId: 'c1', nodeId: 'n1', userId: 'u1', username: 'Ada' });
    expect((await store.members('r')).map(m => m.clientId)).toEqual(['c1', 'c2']);
    expect(await store.rooms()).toEqual(['r', 's']);
    await store.removeNode('n1');
    expect((await store.members('r')).map(m => m.clientId)).toEqual(['c2']);
    expect(await store.rooms()).toEqual(['r']);
    await store.remove('r', 'c2');
    await store.remove('r', 'nobody');
    expect(await store.rooms()).toEqual([]);
  });
});

// The History contract (offsets, epochs, since/latest, TTL, size, idempotency) is checked by
// @roomcast/contract-tests against every implementation; these are MemoryHistory's own options.
describe('MemoryHistory', () => {
  const keep = { size: 10, ttlMs: 1000 };
  const message = (id: string) => ({
    id,
    frame: JSON.stringify({ type: 'chat', action: 'message', room: 'r', data: id }),
    publish: { channel: 'room:r', head: '{"kind":"durable"' },
  });

  it('remembers an id for idempotencyTtlMs, by its `now` clock', async () => {
    let now = 0;
    const history = new MemoryHistory({ now: () => now, idempotencyTtlMs: 500 });
    expect(await history.append('r', message('a'), keep)).toMatchObject({ offset: 1, duplicate: false });
    now = 499;
    expect(await history.append('r', message('a'), keep)).toMatchObject({ offset: 1, duplicate: true });
    now = 500;
    expect(await history.append('r', message('a'), keep)).toMatchObject({ offset: 2, duplicate: false });
    await history.close();
  });

  it('keeps the position metaTtlMs after the last message, then starts a new epoch', async () => {
    let now = 0;
    const history = new MemoryHistory({ now: () => now, metaTtlMs: 5000 });
    const { epoch } = await history.append('r', message('a'), keep);
    now = 4999;
    expect(await history.latest('r', 10)).toEqual({ offset: 1, epoch, entries: [] });
    now = 6000;
    const after = await history.latest('r', 10);
    expect(after.offset).toBe(0);
    expect(after.epoch).not.toBe(epoch);
    await history.close();
  });

  it('refuses misused options with a TypeError that says what to do', () => {
    expect(() => new MemoryHistory({ metaTtlMs: 0 })).toThrow(/metaTtlMs must be a positive/);
    expect(() => new MemoryHistory({ idempotencyTtlMs: 1.5 })).toThrow(/idempotencyTtlMs must be a positive/);
  });
});
