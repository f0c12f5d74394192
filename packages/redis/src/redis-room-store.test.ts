import type { RoomMember } from '@roomcast/protocol';
import { until } from '@roomcast/test-support/helpers';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisRoomStore, type RedisRoomStoreOptions } from './redis-room-store';

let redis: RedisProcess;
let client: Redis;
const opened: RedisRoomStore[] = [];
let app = 0;

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map(store => store.close()));
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

/** Stores of one fresh app (its own prefix), sharing the test's client. */
function appStores(count: number, options: Partial<RedisRoomStoreOptions> = {}): RedisRoomStore[] {
  const appName = `app${++app}`;
  return Array.from({ length: count }, () => {
    const store = new RedisRoomStore({ client, appName, ...options });
    opened.push(store);
    return store;
  });
}

function member(clientId: string, nodeId: string, username: string | null = null): RoomMember {
  return { clientId, nodeId, userId: `user-${clientId}`, username };
}

const byClient = (a: RoomMember, b: RoomMember) => a.clientId.localeCompare(b.clientId);

describe('RedisRoomStore', () => {
  it('adds, updates, removes and lists members and rooms across nodes', async () => {
    const [a, b] = appStores(2) as [RedisRoomStore, RedisRoomStore];
    await a.add('general', member('c1', 'node-a', 'Ada'));
    await b.add('general', member('c2', 'node-b'));
    await b.add('random', member('c2', 'node-b'));
    await a.add('general', member('c1', 'node-a', 'Ada L.'));

    expect((await b.members('general')).sort(byClient)).toEqual([
      member('c1', 'node-a', 'Ada L.'),
      member('c2', 'node-b'),
    ]);
    expect(await a.rooms()).toEqual(['general', 'random']);

    await a.remove('general', 'c2');
    await a.remove('general', 'nobody');
    expect(await a.members('general')).toEqual([member('c1', 'node-a', 'Ada L.')]);
    expect(await a.rooms()).toEqual(['general', 'random']);
    await b.remove('random', 'c2');
    expect(await a.rooms()).toEqual(['general']);
    expect(await a.members('empty')).toEqual([]);
  });

  it('removeNode forgets every member of a node at once', async () => {
    const [a, b] = appStores(2) as [RedisRoomStore, RedisRoomStore];
    await a.add('one', member('c1', 'node-a'));
    await a.add('two', member('c1', 'node-a'));
    await b.add('two', member('c2', 'node-b'));

    await a.removeNode('node-a');
    expect(await b.rooms()).toEqual(['two']);
    expect(await b.members('two')).toEqual([member('c2', 'node-b')]);
    expect(await b.members('one')).toEqual([]);
  });

  it('a node that stops without leaving disappears, and its members expire exactly once', async () => {
    // The live nodes get a long TTL (a loaded machine may stall this process for seconds, and
    // the deadline is per node, set by the store that beats it); the dying one a short TTL.
    const [a, b] = appStores(2, { nodeTtlMs: 60_000, heartbeatMs: 1000, sweepMs: 100 }) as [
      RedisRoomStore,
      RedisRoomStore,
    ];
    const dying = new RedisRoomStore({ client, appName: `app${app}`, nodeTtlMs: 500, heartbeatMs: 100 });
    opened.push(dying);
    const expired: [string, RoomMember[]][] = [];
    a.onMembersExpired((room, members) => expired.push([room, members]));
    b.onMembersExpired((room, members) => expired.push([room, members]));

    await a.add('general', member('alive', 'node-a'));
    await dying.add('general', member('d1', 'node-dead'));
    await dying.add('general', member('d2', 'node-dead'));
    await dying.add('side', member('d1', 'node-dead'));
    expect(await a.members('general')).toHaveLength(3);
    // Like a SIGKILL: the heartbeat stops and nobody calls removeNode.
    await dying.close();

    await until('the dead node to stop counting', async () => (await b.members('general')).length === 1);
    expect(await b.members('general')).toEqual([member('alive', 'node-a')]);
    expect(await b.rooms()).toEqual(['general']);
    await until('the sweep to report both rooms', () => expired.length === 2);

    const reported = Object.fromEntries(expired.map(([room, members]) => [room, members.sort(byClient)]));
    expect(reported).toEqual({
      general: [member('d1', 'node-dead'), member('d2', 'node-dead')],
      side: [member('d1', 'node-dead')],
    });
    // Several more sweeps of both stores: nothing is reported twice.
    await new Promise(resolve => setTimeout(resolve, 400));
    expect(expired).toHaveLength(2);
    expect(await a.members('general')).toEqual([member('alive', 'node-a')]);
  });

  it('registers its members again when Redis forgot them', async () => {
    const [store] = appStores(1, { nodeTtlMs: 600, heartbeatMs: 100 }) as [RedisRoomStore];
    await store.add('general', member('c1', 'node-a'));
    await client.flushall();
    expect(await store.members('general')).toEqual([]);
    await until(
      'the heartbeat to restore the member',
      async () => (await store.members('general')).length === 1,
    );
  });

  it('refuses misused options and members with a TypeError that says what to do', async () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /options object/],
      [{}, /pass client/],
      [{ client: {} }, /ioredis Redis or Cluster/],
      [{ client, heartbeatMs: 15_000 }, /must be below nodeTtlMs/],
      [{ client, nodeTtlMs: 0 }, /nodeTtlMs must be a positive/],
      [{ client, prefix: 'x{' }, /must not contain/],
      [{ client, connection: { host: '127.0.0.1' } }, /not both/],
    ];
    for (const [options, message] of cases) {
      expect(() => new RedisRoomStore(options as RedisRoomStoreOptions)).toThrow(message);
    }
    const [store] = appStores(1) as [RedisRoomStore];
    await expect(store.add('room', { clientId: 'c' } as RoomMember)).rejects.toThrow(/nodeId/);
    await expect(store.add('', member('c', 'n'))).rejects.toThrow(TypeError);
  });
});
