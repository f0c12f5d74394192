// Issue 15, "Done when", under faults: a Cluster master SIGKILLed mid-stream, a grey failure
// (replies lost) then a cut between a node and Redis, and a 3 s partition. Real redis-server,
// nodes in child processes, raw `ws` clients that record every frame; a TCP relay the test
// controls sits between node 1 and Redis. Every client's view is read by `check()`: offsets go up
// by one except across a notice, no message twice, live (offset-less) ones only after
// `roomInterrupted`.

import { NetworkRelay } from '@roomcast/test-support/network-relay';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { until, useClients } from './support/clients';
import { REDIS_CLUSTER } from './support/redis-targets';
import {
  announcedGap,
  check,
  describeSkipped,
  explain,
  follow,
  type RoomWatcher,
  rejoin,
  type StreamReport,
  untilWatchers,
} from './support/room-watchers';
import { type NodeConfig, type RoomcastNode, useNodes } from './support/roomcast-node';
import { ids, send, sending, storedStream } from './support/stream-traffic';

vi.setConfig({ testTimeout: 180_000 });

const startNode = useNodes();
const connect = useClients();
let redis: RedisProcess;
let admin: Redis;
let relay: NetworkRelay | undefined;
let monitor: Redis | undefined;
let apps = 0;

beforeAll(async () => {
  redis = await startRedis();
  admin = new Redis(redis.port, redis.host);
});
afterAll(async () => {
  admin?.disconnect();
  await redis?.stop();
});
afterEach(async () => {
  monitor?.disconnect();
  await relay?.stop();
  relay = monitor = undefined;
});

const busUp = async (node: RoomcastNode) => (await node.server.getHealth()).bus.connected;
const watchersOn = async (node: RoomcastNode, count: number) => {
  const watchers: RoomWatcher[] = [];
  for (let i = 0; i < count; i++) watchers.push(await follow(connect(node.url), 'r'));
  return watchers;
};
const got = (watcher: RoomWatcher, wanted: string[]) => {
  const have = new Set(check(watcher).ids);
  return wanted.every(id => have.has(id));
};

let fences = 0;
/**
 * Resolves once a message in a plain room, sent by each node in turn, reached a client on every
 * other node: one Redis server pushes to a subscriber in the order it ran the commands, so each
 * node has then handled every bus message published before.
 */
async function fence(nodes: RoomcastNode[]) {
  const listeners = await Promise.all(
    nodes.map(async node => {
      const client = await connect(node.url);
      await client.request('system', 'joinRoom', { roomName: 'fence' });
      return client;
    }),
  );
  for (const from of nodes) {
    const id = `fence-${++fences}`;
    await from.server.broadcastToRoom({
      roomName: 'fence',
      data: { type: 'fence', action: 'pass', data: { id } },
    });
    const others = listeners.filter((_, i) => nodes[i] !== from);
    await Promise.all(
      others.map(l => l.next(f => f.type === 'fence' && (f.data as { id?: string }).id === id)),
    );
  }
}

/** Node 1 reaches Redis through a relay the test controls, node 2 directly; 2 watchers each. */
async function relayedPair() {
  const app = `stream-faults-${++apps}`;
  relay = await NetworkRelay.start(redis.port);
  const config: NodeConfig = {
    redis: { host: '127.0.0.1', port: redis.port },
    appName: app,
    rooms: { patterns: [{ match: 'r', history: { size: 1_000, ttlMs: 300_000 } }] },
  };
  const one = await startNode({ ...config, nodeId: 'N1', redis: { host: '127.0.0.1', port: relay.port } });
  const two = await startNode({ ...config, nodeId: 'N2' });
  return { app, relay, one, two, onOne: await watchersOn(one, 2), onTwo: await watchersOn(two, 2) };
}

/** Asserts the history holds each of `all` once, and that what `report` lacks was announced. */
async function expectEveryMessageOnce(app: string, watchers: RoomWatcher[], all: string[]) {
  await until(
    'the history to hold every message',
    async () => (await storedStream(admin, app, 'r')).length >= all.length,
  );
  const stored = await storedStream(admin, app, 'r');
  expect(stored.map(e => e.offset)).toEqual(all.map((_, i) => i + 1));
  expect(stored.map(e => e.id).sort()).toEqual([...all].sort());
  const offsetOf = new Map(stored.map(e => [e.id, e.offset]));
  const reports: StreamReport[] = watchers.map(check);
  for (const [i, report] of reports.entries()) {
    const where = `watcher ${i}`;
    const skipped = describeSkipped(report, new Map(stored.map(e => [e.offset, e.id])));
    expect([...report.violations, ...skipped], `${where}\n${explain(watchers[i]!)}`).toEqual([]);
    for (const { id, offset } of report.durable) expect(offsetOf.get(id), `${where}: ${id}`).toBe(offset);
    const have = new Set(report.ids);
    const missing = stored.filter(e => !have.has(e.id) && !announcedGap(report, e.offset, report.epoch));
    expect(missing, `${where}: missing without a notice\n${explain(watchers[i]!)}`).toEqual([]);
    if (report.notices.length === 0) expect(report.durable, where).toEqual(stored);
  }
  return reports;
}

it('a grey failure (replies lost for ~500 ms), then a 3 s cut: the history and every client hold each message once', async () => {
  const { app, relay, one, onOne, onTwo } = await relayedPair();
  const all = ids('g', 45);
  const phases = [all.slice(0, 10), all.slice(10, 20), all.slice(20, 35), all.slice(35)];
  const watchers = [...onOne, ...onTwo];

  expect(await send(one, 'r', phases[0]!, { window: 1 })).toEqual([]);
  await until('the first 10 everywhere', () => watchers.every(w => got(w, phases[0]!)));

  // Which appends Redis runs (MONITOR), to show the grey failure made ioredis send some twice.
  monitor = await admin.monitor();
  const runs = new Map<string, number>();
  monitor.on('monitor', (_time: string, args: string[]) => {
    const id = /"id":"(g-\d+)"/.exec(args.join(' '))?.[1];
    if (id && /^eval/i.test(args[0] ?? '')) runs.set(id, (runs.get(id) ?? 0) + 1);
  });
  // Requests still reach Redis (so it appends and publishes), its replies and pushes are lost.
  relay.dropReplies();
  const grey = sending(one, 'r', phases[1]!, { window: 100, paceMs: 50 });
  await grey.issued;
  // Node 1's members get its messages live once maxLiveDelayMs passes without them coming back.
  await until('node 1’s members to get messages live', () => onOne.every(w => check(w).live.length > 0));
  relay.down();
  const cut = sending(one, 'r', phases[2]!, { window: 100, paceMs: 200 });
  await cut.issued;
  relay.passReplies();
  relay.up();
  await until('node 1 back on the bus', () => busUp(one));
  const after = sending(one, 'r', phases[3]!, { window: 1 });
  const failed = (await Promise.all([grey.done, cut.done, after.done])).flat();
  expect(failed).toEqual([]);
  // The scenario did what it is for: appends whose replies were lost were sent again.
  expect([...runs].filter(([, count]) => count > 1).length).toBeGreaterThan(0);
  // In one room's order, so once the last one is in, every earlier one that is coming came.
  await untilWatchers('every watcher to get the last message', watchers, () =>
    watchers.every(w => got(w, [all.at(-1)!])),
  );

  const reports = await expectEveryMessageOnce(app, watchers, all);
  for (const [i, report] of reports.entries()) {
    const missing = all.filter(id => !report.ids.includes(id));
    expect(missing, `watcher ${i}: never got these\n${explain(watchers[i]!)}`).toEqual([]);
  }
  // Node 2's link never broke: it got all 45 in offset order, never live.
  for (const report of reports.slice(2)) expect(report.live).toEqual([]);
  for (const report of reports.slice(0, 2)) expect(report.interrupted).toBeGreaterThan(0);
});

it('a 3 s partition: the cut node’s own members keep getting its messages; after a since rejoin every client holds every message once, or was told', async () => {
  const { app, relay, one, two, onOne, onTwo } = await relayedPair();
  const watchers = [...onOne, ...onTwo];
  const before = [...ids('p1', 5), ...ids('p2', 5)];
  await Promise.all([send(one, 'r', before.slice(0, 5)), send(two, 'r', before.slice(5))]);
  await until('the first 10 everywhere', () => watchers.every(w => got(w, before)));

  relay.down();
  const duringOne = ids('p1', 10, 6);
  const duringTwo = ids('p2', 10, 6);
  const partitioned = [
    sending(one, 'r', duringOne, { window: 100, paceMs: 300 }),
    sending(two, 'r', duringTwo, { window: 100, paceMs: 300 }),
  ];
  await Promise.all(partitioned.map(s => s.issued));
  // Still cut: node 1's members have node 1's messages already (live, after roomInterrupted).
  await until('node 1’s members to get its messages while cut off', () =>
    onOne.every(w => got(w, duringOne)),
  );
  for (const watcher of onOne) {
    const report = check(watcher);
    expect(report.violations).toEqual([]);
    expect(report.interrupted).toBeGreaterThan(0);
  }
  relay.up();
  await until('node 1 back on the bus', () => busUp(one));
  expect((await Promise.all(partitioned.map(s => s.done))).flat()).toEqual([]);

  const all = [...before, ...duringOne, ...duringTwo];
  await until('the history to hold all 30', async () => (await storedStream(admin, app, 'r')).length >= 30);
  // Quiet: each node has handled every bus message of the room before the rejoins.
  await fence([one, two]);
  for (const watcher of watchers) {
    const reply = await rejoin(watcher);
    expect(reply.success).toBe(true);
  }
  const tail = [...ids('p1', 2, 16), ...ids('p2', 2, 16)];
  await Promise.all([
    send(one, 'r', tail.slice(0, 2), { window: 1 }),
    send(two, 'r', tail.slice(2), { window: 1 }),
  ]);
  await until('the tail everywhere', () => watchers.every(w => got(w, tail)));

  const reports = await expectEveryMessageOnce(app, watchers, [...all, ...tail]);
  for (const report of reports.slice(0, 2)) expect(report.ids).toEqual(expect.arrayContaining(duringOne));
  for (const report of reports.slice(2)) expect(report.notices).toEqual([]);
});

it('a 3-master Cluster, the room’s master SIGKILLed mid-stream and restarted: offsets only go up between notices, each client is told of the new epoch', async () => {
  const target = await REDIS_CLUSTER.start();
  try {
    const app = 'stream-cluster';
    const master = await target.serverOf('r', app);
    const config: NodeConfig = {
      redis: target.connection,
      appName: app,
      rooms: { patterns: [{ match: 'r', history: { size: 2_000, ttlMs: 300_000 } }] },
    };
    const nodes = [
      await startNode({ ...config, nodeId: 'N1' }),
      await startNode({ ...config, nodeId: 'N2' }),
      await startNode({ ...config, nodeId: 'N3' }),
    ];
    const watchers = (await Promise.all(nodes.map(node => watchersOn(node, 2)))).flat();
    const { epoch: first } = check(watchers[0]!);
    const shares = nodes.map((_, i) => ids(`c${i + 1}`, 320));
    const streams = nodes.map((node, i) => sending(node, 'r', shares[i]!, { window: 5, paceMs: 5 }));

    await until('200 messages everywhere', () => watchers.every(w => check(w).durable.length >= 200));
    await master.kill();
    // Every node sends meanwhile, so every node's members get messages live.
    await until('every watcher to be interrupted', () => watchers.every(w => check(w).interrupted > 0));
    await master.restart();
    expect((await Promise.all(streams.map(s => s.done))).flat()).toEqual([]);
    // Probes until every watcher has heard the restarted master's new stream.
    let probe = 0;
    await until('every watcher to be told of the new epoch', async () => {
      probe++;
      await Promise.all(nodes.map((node, i) => send(node, 'r', [`probe${i + 1}-${probe}`], { window: 1 })));
      return watchers.every(w => check(w).notices.some(n => n.epoch !== first));
    });
    const tail = nodes.map((_, i) => ids(`t${i + 1}`, 20));
    await Promise.all(nodes.map((node, i) => send(node, 'r', tail[i]!, { window: 5 })));
    await until('the tail everywhere', () => watchers.every(w => got(w, tail.flat())));

    const reports = watchers.map(check);
    // The restarted master's stream as the clients got it, to name what a client jumped over.
    const afterRestart = (report: StreamReport) =>
      report.durable.slice(report.notices.find(n => n.epoch !== first)?.at ?? report.durable.length);
    const idAt = new Map(
      reports.flatMap(r => afterRestart(r).map(({ id, offset }) => [offset, id] as const)),
    );
    for (const [i, report] of reports.entries()) {
      const where = `watcher ${i}`;
      expect(
        [...report.violations, ...describeSkipped(report, idAt)],
        `${where}\n${explain(watchers[i]!)}`,
      ).toEqual([]);
      // Told of the new epoch; from the notice on, offsets start at its offset + 1 (and check()
      // saw every later step be + 1).
      const notice = report.notices.find(n => n.epoch !== first)!;
      expect(notice.kind).toBe('roomNotRecovered');
      expect(notice.firstAfter).toBe(notice.offset + 1);
      expect(report.epoch).toBe(notice.epoch);
    }
    // One order cluster-wide: in each epoch, a message has the same offset on every client.
    for (const epochOf of [(r: StreamReport) => r.durable.slice(0, r.notices[0]?.at), afterRestart]) {
      const offsetOf = new Map<string, number>();
      for (const [i, report] of reports.entries()) {
        for (const { id, offset } of epochOf(report)) {
          expect(offsetOf.get(id) ?? offset, `${id} on watcher ${i}`).toBe(offset);
          offsetOf.set(id, offset);
        }
      }
    }
  } finally {
    await target.stop();
  }
});
