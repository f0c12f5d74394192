import type { RoomMember } from '@roomcast/protocol';
import { until } from '@roomcast/test-support/helpers';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
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

/** The membership keys of an app (keys.ts), to write what a store would not. */
function appKeys(appName: string) {
  const base = `roomcast:${appName}:rooms:{roomcast:${appName}:}:`;
  return { base, nodes: `${base}nodes`, room: (name: string) => `${base}room:${name}` };
}

/** Resolves after `count` heartbeats of `nodeId` have each moved its deadline in Redis. */
async function beats(appName: string, nodeId: string, count: number): Promise<void> {
  const { nodes } = appKeys(appName);
  let last = await client.zscore(nodes, nodeId);
  let seen = 0;
  await until(`${count} heartbeats of ${nodeId}`, async () => {
    const score = await client.zscore(nodes, nodeId);
    if (score !== null && score !== last) seen++;
    last = score;
    return seen >= count;
  });
}

/**
 * Resolves once the app's stores have run two sweeps, the first one's listeners and logs done:
 * a node long dead (no members) is planted and waited out, twice (sweeps never overlap).
 */
async function sweptTwice(appName: string): Promise<void> {
  const { nodes } = appKeys(appName);
  for (const node of ['long-dead-1', 'long-dead-2']) {
    await client.zadd(nodes, 1, node);
    await until(`a sweep to remove ${node}`, async () => (await client.zscore(nodes, node)) === null);
  }
}

/** How many connections named `name` the server has. */
async function connectionsNamed(name: string): Promise<number> {
  const list = String(await client.client('LIST'));
  return list.split('\n').filter(line => line.includes(` name=${name} `)).length;
}

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
    const cases: [unknown, RegExp | TypeError][] = [
      [undefined, new TypeError('RedisRoomStore: pass an options object: { client } or { connection }.')],
      [null, new TypeError('RedisRoomStore: pass an options object: { client } or { connection }.')],
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

  it('refuses every call once closed (twice is fine), and quits a client it opened', async () => {
    const store = new RedisRoomStore({
      connection: { host: '127.0.0.1', port: redis.port, connectionName: 'owned-store' },
      appName: `app${++app}`,
    });
    await store.add('general', member('c1', 'node-a'));
    expect(await connectionsNamed('owned-store')).toBe(1);
    await store.close();
    await store.close();
    await until('the owned client to quit', async () => (await connectionsNamed('owned-store')) === 0);
    const closed = new Error('RedisRoomStore: the store is closed.');
    await expect(store.members('general')).rejects.toThrow(closed);
    await expect(store.rooms()).rejects.toThrow(closed);
    await expect(store.add('general', member('c2', 'node-a'))).rejects.toThrow(closed);
    await expect(store.remove('general', 'c1')).rejects.toThrow(closed);
    await expect(store.removeNode('node-a')).rejects.toThrow(closed);
  });

  it('warns once, naming the node and its member count, when Redis forgot a node it beats for', async () => {
    const { logger, lines } = recordingLogger();
    const [store] = appStores(1, { nodeTtlMs: 60_000, heartbeatMs: 50, logger }) as [RedisRoomStore];
    const appName = `app${app}`;
    await store.add('general', member('c1', 'node-a'));
    await store.add('side', member('c2', 'node-a'));
    // Beats of a node Redis knows say nothing.
    await beats(appName, 'node-a', 2);
    expect(lines).toEqual([]);
    // As after a sweep that took this node for dead (its members are hidden until the next beat).
    await client.zrem(appKeys(appName).nodes, 'node-a');
    await until('the warning', () => lines.length > 0);
    await beats(appName, 'node-a', 2);
    expect(lines).toEqual([
      {
        level: 'warn',
        fields: { nodeId: 'node-a', members: 2 },
        msg: 'RedisRoomStore: Redis no longer knew this node (restarted, or swept after a stall); registering its members again',
      },
    ]);
    expect(await store.members('general')).toEqual([member('c1', 'node-a')]);
    expect(await store.members('side')).toEqual([member('c2', 'node-a')]);
  });

  it('says nothing when Redis forgot a node that has no members left here', async () => {
    const { logger, lines } = recordingLogger();
    const [store] = appStores(1, { nodeTtlMs: 60_000, heartbeatMs: 50, logger }) as [RedisRoomStore];
    const appName = `app${app}`;
    await store.add('general', member('c1', 'node-a'));
    await store.remove('general', 'c1');
    await client.zrem(appKeys(appName).nodes, 'node-a');
    await beats(appName, 'node-a', 2);
    expect(lines).toEqual([]);
  });

  it('reports a dead node’s members once, per room, to every listener; logs a listener that throws', async () => {
    const { logger, lines } = recordingLogger();
    const [store] = appStores(1, { nodeTtlMs: 60_000, heartbeatMs: 1000, sweepMs: 50, logger }) as [
      RedisRoomStore,
    ];
    const appName = `app${app}`;
    const keys = appKeys(appName);
    // Sweeps that find no members of a dead node say nothing.
    await sweptTwice(appName);
    expect(lines).toEqual([]);

    const boom = new Error('listener failed');
    const reported: [string, RoomMember[]][] = [];
    store.onMembersExpired(() => {
      throw boom;
    });
    store.onMembersExpired((room, members) => reported.push([room, [...members].sort(byClient)]));
    const dying = new RedisRoomStore({ client, appName, nodeTtlMs: 1500, heartbeatMs: 300 });
    opened.push(dying);
    await dying.add('general', member('d1', 'node-dead'));
    await dying.add('general', member('d2', 'node-dead'));
    // Beside them, an entry no store writes: its room is a number, not a room name.
    await client.hset(keys.room('5'), 'd3', JSON.stringify(member('d3', 'node-dead')));
    await client.sadd(`${keys.base}node:node-dead:members`, '[5,"d3"]');
    await dying.close();

    await until('the sweep to report', () => reported.length > 0);
    expect(reported).toEqual([['general', [member('d1', 'node-dead'), member('d2', 'node-dead')]]]);
    await sweptTwice(appName);
    expect(reported).toHaveLength(1);
    expect(lines).toEqual([
      { level: 'info', fields: { rooms: 1 }, msg: 'RedisRoomStore: swept the members of dead nodes' },
      {
        level: 'error',
        fields: { err: boom, roomName: 'general' },
        msg: 'RedisRoomStore: an onMembersExpired listener threw',
      },
    ]);
  });

  it('a store nobody listens to leaves a dead node’s members to a store that listens', async () => {
    const [quiet] = appStores(1, { nodeTtlMs: 60_000, heartbeatMs: 1000, sweepMs: 50 }) as [RedisRoomStore];
    const appName = `app${app}`;
    const dying = new RedisRoomStore({ client, appName, nodeTtlMs: 1500, heartbeatMs: 300 });
    opened.push(dying);
    await dying.add('general', member('d1', 'node-dead'));
    await dying.close();
    await until('the dead node to stop counting', async () => (await quiet.members('general')).length === 0);
    // The quiet store has swept since the node died, and left its members.
    await sweptTwice(appName);

    const listening = new RedisRoomStore({
      client,
      appName,
      nodeTtlMs: 60_000,
      heartbeatMs: 1000,
      sweepMs: 50,
    });
    opened.push(listening);
    const expired: [string, RoomMember[]][] = [];
    listening.onMembersExpired((room, members) => expired.push([room, members]));
    await until('the listening store to report', () => expired.length > 0);
    expect(expired).toEqual([['general', [member('d1', 'node-dead')]]]);
  });
});
