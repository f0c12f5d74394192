// Issue 15, "Done when", with a real redis-server, nodes in child processes and raw `ws` clients
// that record every frame: `recovered: true` only when nothing is missing (TTL, FLUSHALL, trim),
// one order per room with several nodes publishing at once, and ephemeral traffic (presence,
// `ephemeral: true`) never in history. Faults (Cluster master killed, grey failure, partition)
// are in room-streams-faults.test.ts.

import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Frame, until, useClients } from './support/clients';
import { REDIS_CLUSTER, type RedisTargetKind } from './support/redis-targets';
import { check, follow, join, type RoomWatcher } from './support/room-watchers';
import { type NodeConfig, type RoomcastNode, useNodes } from './support/roomcast-node';
import { ids, MESSAGE, send, storedStream, streamKey } from './support/stream-traffic';

vi.setConfig({ testTimeout: 180_000 });

const startNode = useNodes();
const connect = useClients();
let redis: RedisProcess;
let admin: Redis;
let apps = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.port, redis.host);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});

/** `count` nodes of a fresh app (its own keys), history rooms `r*`. */
async function nodes(
  count: number,
  history: { size: number; ttlMs: number },
  { presence = false, redis: connection }: { presence?: boolean; redis?: NodeConfig['redis'] } = {},
) {
  const app = `streams-${++apps}`;
  const config: NodeConfig = {
    redis: connection ?? { host: redis.host, port: redis.port },
    appName: app,
    rooms: { patterns: [{ match: 'r*', history, presence }] },
  };
  const started: RoomcastNode[] = [];
  for (let i = 0; i < count; i++) started.push(await startNode({ ...config, nodeId: `N${i + 1}` }));
  return { app, nodes: started };
}

const received = (watcher: RoomWatcher) => check(watcher).ids.length;

describe('a since rejoin is recovered: true only with every missed message', () => {
  const cases = [
    {
      name: 'the stream expired (TTL) while the client was away: the position outlives it, all 7 come back',
      // Each of the 7 appends, and the rejoin, must come within ttlMs of the append before it,
      // or the stream expires again: 1 s leaves room on a loaded machine (400 ms passes too).
      history: { size: 100, ttlMs: 1_000 },
      meanwhile: (app: string) =>
        until('the stream to expire', async () => (await admin.exists(streamKey(app, 'r'))) === 0),
      recovered: true,
      position: { offset: 12, sameEpoch: true },
    },
    {
      name: 'Redis was flushed (FLUSHALL): a new epoch, recovered: false',
      history: { size: 100, ttlMs: 60_000 },
      meanwhile: async () => void (await admin.flushall()),
      recovered: false,
      position: { offset: 7, sameEpoch: false },
    },
    {
      name: 'the stream was trimmed past since (size 5 < a gap of 7): recovered: false',
      history: { size: 5, ttlMs: 60_000 },
      meanwhile: async () => {},
      recovered: false,
      position: { offset: 12, sameEpoch: true },
    },
  ];
  for (const { name, history, meanwhile, recovered, position } of cases) {
    it(name, async () => {
      const {
        app,
        nodes: [a, b],
      } = await nodes(2, history);
      const first = await follow(connect(a!.url), 'r');
      const { epoch } = check(first);
      await send(a!, 'r', ids('m', 5), { window: 1 });
      await until('offsets 1-5', () => received(first) === 5);
      expect(check(first).durable.map(m => m.offset)).toEqual([1, 2, 3, 4, 5]);
      await first.client.close();

      await meanwhile(app);
      // Connected before the 7 go out, so the rejoin is one round trip after them.
      const again: RoomWatcher = { client: await connect(b!.url), room: 'r', joins: [] };
      await send(a!, 'r', ids('m', 7, 6), { window: 1 });
      const reply = await join(again, { since: 5, epoch });
      const report = check(again);

      expect(report.violations).toEqual([]);
      // Never recovered: true with a gap: true means exactly offsets 6..12, in order.
      if (reply.recovered) {
        expect(report.durable).toEqual(ids('m', 7, 6).map((id, i) => ({ id, offset: 6 + i })));
      } else {
        expect(report.ids).toEqual([]);
      }
      expect(reply.recovered).toBe(recovered);
      expect({ offset: reply.offset, sameEpoch: reply.epoch === epoch }).toEqual(position);

      // From the reply on, delivery is exact again.
      await send(a!, 'r', ['m-next'], { window: 1 });
      await until('the next message', () => check(again).ids.includes('m-next'));
      expect(check(again).durable.at(-1)).toEqual({ id: 'm-next', offset: reply.offset + 1 });
      expect(check(again).violations).toEqual([]);
    });
  }
});

/** Starts `count` nodes on `kind`, 3 watchers each, sends 1,000 messages split over the nodes at once. */
async function thousandAtOnce(kind: RedisTargetKind | 'shared', count: number) {
  const target = kind === 'shared' ? undefined : await kind.start();
  try {
    const connection = target?.connection ?? { host: redis.host, port: redis.port };
    const { app, nodes: started } = await nodes(
      count,
      { size: 2_000, ttlMs: 300_000 },
      { redis: connection },
    );
    const watchers: RoomWatcher[] = [];
    for (const node of started)
      for (let i = 0; i < 3; i++) watchers.push(await follow(connect(node.url), 'r'));

    const shares = started.map((_, i) =>
      ids(`n${i + 1}`, Math.floor(1_000 / count) + (i < 1_000 % count ? 1 : 0)),
    );
    // Every node sends its share at once, none waits for another.
    const failed = await Promise.all(started.map((node, i) => send(node, 'r', shares[i]!, { window: 10 })));
    expect(failed.flat()).toEqual([]);
    await until(
      'every watcher to get 1,000 messages',
      () => watchers.every(w => received(w) >= 1_000),
      90_000,
    );

    const reports = watchers.map(check);
    const offsets = Array.from({ length: 1_000 }, (_, i) => i + 1);
    for (const report of reports) {
      expect(report.violations).toEqual([]);
      expect({ live: report.live, notices: report.notices, interrupted: report.interrupted }).toEqual({
        live: [],
        notices: [],
        interrupted: 0,
      });
      expect(report.durable.map(m => m.offset)).toEqual(offsets);
      expect(report.ids).toEqual(reports[0]!.ids);
    }
    expect(new Set(reports[0]!.ids)).toEqual(new Set(shares.flat()));
    // The interleaving is real: the room's one order mixes the nodes' messages.
    const origins = reports[0]!.ids.map(id => id.split('-')[0]);
    expect(origins.filter((origin, i) => i > 0 && origin !== origins[i - 1]).length).toBeGreaterThan(count);
    if (target === undefined) {
      const stored = await storedStream(admin, app, 'r');
      expect(stored).toEqual(reports[0]!.durable.map(({ id, offset }) => ({ offset, id })));
    }
  } finally {
    await target?.stop();
  }
}

describe('one order per room: nodes broadcasting into one history room at once, 1,000 messages', () => {
  it('two nodes: every client sees offsets 1..1000 once each, and the same sequence', () =>
    thousandAtOnce('shared', 2));
  it('three nodes: every client sees offsets 1..1000 once each, and the same sequence', () =>
    thousandAtOnce('shared', 3));
  it('three nodes on a 3-master Redis Cluster: the same', () => thousandAtOnce(REDIS_CLUSTER, 3));
});

describe('presence and ephemeral messages are never history', () => {
  it('rewind: 50 after 200 ephemeral frames from both nodes and 3 durable ones returns the 3', async () => {
    const {
      app,
      nodes: [a, b],
    } = await nodes(2, { size: 100, ttlMs: 60_000 }, { presence: true });
    const both = [a!, b!];
    const watchers = [await follow(connect(a!.url), 'r'), await follow(connect(b!.url), 'r')];
    // 5 rounds of 10 presence frames (5 clients join and leave) and 30 `ephemeral: true`
    // broadcasts (15 per node, at once): 200 ephemeral frames; a durable one after rounds 2-4.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 5; i++) {
        const passer: RoomWatcher = { client: await connect(both[i % 2]!.url), room: 'r', joins: [] };
        await join(passer);
        await passer.client.request('system', 'leaveRoom', { roomName: 'r' });
      }
      const failed = await Promise.all(
        both.map((node, n) => send(node, 'r', ids(`e${round}.${n}`, 15), { window: 5, ephemeral: true })),
      );
      expect(failed.flat()).toEqual([]);
      if (round >= 1 && round <= 3) await send(both[round % 2]!, 'r', [`d-${round}`], { window: 1 });
    }
    const watcherIds = new Set(watchers.map(w => w.client.clientId));
    // The passers' joins and leaves (each watcher also hears its own join, and A hears B's).
    const presence = (w: RoomWatcher) =>
      w.client.frames.filter(
        f => f.type === 'presence' && !watcherIds.has((f.data as { clientId: string }).clientId),
      );
    const messages = (w: RoomWatcher) => w.client.frames.filter(f => f.type === MESSAGE.type);
    await until('every ephemeral and durable frame to reach both watchers', () =>
      watchers.every(w => presence(w).length === 50 && messages(w).length === 153),
    );
    for (const w of watchers) {
      const offsetOf = (f: Frame) => f.offset;
      const allPresence = w.client.frames.filter(f => f.type === 'presence');
      expect(allPresence.map(offsetOf).filter(o => o !== undefined)).toEqual([]);
      const durable = messages(w).filter(f => String((f.data as { id: string }).id).startsWith('d-'));
      expect(durable.map(f => [(f.data as { id: string }).id, f.offset])).toEqual([
        ['d-1', 1],
        ['d-2', 2],
        ['d-3', 3],
      ]);
      expect(messages(w).filter(f => f.offset !== undefined)).toHaveLength(3);
    }

    const late: RoomWatcher = { client: await connect(b!.url), room: 'r', joins: [] };
    const reply = await join(late, { rewind: 50 });
    expect(reply).toMatchObject({ success: true, offset: 3 });
    const replayed = late.client.frames.filter(f => f.type !== 'system' && f.id === undefined);
    // Only the 3 durable ones (and, live, the late client's own presence join at most).
    const ownJoin = (f: Frame) =>
      f.type === 'presence' && (f.data as { clientId: string }).clientId === late.client.clientId;
    expect(replayed.filter(f => !ownJoin(f)).map(f => [(f.data as { id: string }).id, f.offset])).toEqual([
      ['d-1', 1],
      ['d-2', 2],
      ['d-3', 3],
    ]);
    expect((await storedStream(admin, app, 'r')).map(e => e.id)).toEqual(['d-1', 'd-2', 'd-3']);
  });
});
