// Issue 15, "Done when", under faults: a Cluster master SIGKILLed mid-stream, a grey failure
// (replies lost) then a cut between a node and Redis, and a 3 s partition. Real redis-server,
// nodes in child processes, raw `ws` clients that record every frame; a TCP relay the test
// controls sits between node 1 and Redis. Every client's view is read by `check()`: offsets go up
// by one except across a notice, no message twice, live (offset-less) ones only after
// `roomInterrupted`.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { NetworkRelay } from '../../../test-support/network-relay';
import { type RedisProcess, startRedis } from '../../redis/src/test-support/redis-process';
import { until, useClients } from './support/clients';
import { REDIS_CLUSTER } from './support/redis-targets';
import { type NodeConfig, type RoomcastNode, useNodes } from './support/roomcast-node';
import {
  announcedGap,
  check,
  follow,
  ids,
  rejoin,
  type RoomWatcher,
  type StreamReport,
  send,
  sending,
  storedStream,
  timeline,
} from './support/room-streams';

vi.setConfig({ testTimeout: 180_000 });

const startNode = useNodes();
const connect = useClients();
let redis: RedisProcess;
let admin: Redis;
let relay: NetworkRelay | undefined;
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
  await relay?.stop();
  relay = undefined;
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
  await until('the history to hold every message', async () => (await storedStream(admin, app, 'r')).length >= all.length);
  const stored = await storedStream(admin, app, 'r');
  expect(stored.map(e => e.offset)).toEqual(all.map((_, i) => i + 1));
  expect(stored.map(e => e.id).sort()).toEqual([...all].sort());
  const offsetOf = new Map(stored.map(e => [e.id, e.offset]));
  const reports: StreamReport[] = watchers.map(check);
  for (const [i, report] of reports.entries()) {
    const where = `watcher ${i}`;
    expect(report.violations, where).toEqual([]);
    for (const { id, offset } of report.durable) expect(offsetOf.get(id), `${where}: ${id}`).toBe(offset);
    const have = new Set(report.ids);
    const missing = stored.filter(e => !have.has(e.id) && !announcedGap(report, e.offset, report.epoch));
    expect(missing, `${where}: missing without a notice`).toEqual([]);
    if (report.notices.length === 0) expect(report.durable, where).toEqual(stored);
  }
  return reports;
}

it('a grey failure (replies lost for ~500 ms), then a 3 s cut: the history and every client hold each message once', async () => {
  const { app, relay, one, two, onOne, onTwo } = await relayedPair();
  const all = ids('g', 45);
  const phases = [all.slice(0, 10), all.slice(10, 20), all.slice(20, 35), all.slice(35)];
  const watchers = [...onOne, ...onTwo];

  expect(await send(one, 'r', phases[0]!, { window: 1 })).toEqual([]);
  await until('the first 10 everywhere', () => watchers.every(w => got(w, phases[0]!)));

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
  await until('every watcher to get the last message', () => watchers.every(w => got(w, phases[3]!)));

  const reports = await expectEveryMessageOnce(app, watchers, all);
  for (const report of reports) expect(new Set(report.ids)).toEqual(new Set(all));
  // Node 2's link never broke: it got all 45 in offset order, never live.
  for (const report of reports.slice(2)) expect(report.live).toEqual([]);
  for (const report of reports.slice(0, 2)) expect(report.interrupted).toBeGreaterThan(0);
  void two;
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
  await until('node 1’s members to get its messages while cut off', () => onOne.every(w => got(w, duringOne)));
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
  // Quiet: every watcher stands at the stream's end (by messages or a notice) before rejoining.
  await until('every watcher to stand at offset 30', () => watchers.every(w => check(w).position >= 30)).catch(e => {
    const fs = require('node:fs');
    fs.writeFileSync('/tmp/partition-debug.txt', watchers.map((w, i) => `watcher ${i}\n` + timeline(w).join('\n')).join('\n\n') + '\nSTORED\n');
    throw e;
  });
  for (const watcher of watchers) {
    const reply = await rejoin(watcher);
    expect(reply.success).toBe(true);
  }
  const tail = [...ids('p1', 2, 16), ...ids('p2', 2, 16)];
  await Promise.all([send(one, 'r', tail.slice(0, 2), { window: 1 }), send(two, 'r', tail.slice(2), { window: 1 })]);
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

    const offsets = new Map<string, number>();
    for (const [i, watcher] of watchers.entries()) {
      const report = check(watcher);
      if (report.violations.length) require('node:fs').writeFileSync('/tmp/cluster-debug.txt', watchers.map((w, i) => `watcher ${i}\n` + timeline(w).join('\n')).join('\n\n'));
      expect(report.violations, `watcher ${i}`).toEqual([]);
      // Told of the new epoch; from the notice on, offsets start at its offset + 1 (and check()
      // saw every later step be + 1).
      const notice = report.notices.find(n => n.epoch !== first)!;
      expect(notice.kind).toBe('roomNotRecovered');
      expect(notice.firstAfter).toBe(notice.offset + 1);
      expect(report.epoch).toBe(notice.epoch);
      // One order cluster-wide: a message has the same offset on every client that got it with one.
      for (const { id, offset } of report.durable) {
        expect(offsets.get(id) ?? offset, `${id} on watcher ${i}`).toBe(offset);
        offsets.set(id, offset);
      }
    }
  } finally {
    await target.stop();
  }
});
