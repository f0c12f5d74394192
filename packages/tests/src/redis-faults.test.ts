// Issue 5, fault tests with nodes in child processes (packages/redis covers the bus and store
// alone, in-process): Redis (or one Cluster master) SIGKILLed mid-stream and restarted, a node
// SIGKILLed, two apps sharing one Redis, garbage on our channel.
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { type Frame, frameId, type TestClient, until, useClients } from './support/clients';
import { ONE_REDIS, REDIS_CLUSTER } from './support/redis-targets';
import { type NodeConfig, type RoomcastNode, useNodes } from './support/roomcast-node';

const start = useNodes();
const connect = useClients();
let redis: RedisProcess;
let connection: NodeConfig['redis'];

beforeEach(async () => {
  redis = await startRedis();
  connection = { host: redis.host, port: redis.port };
});
afterEach(async () => {
  await redis?.stop();
});

async function joined(node: RoomcastNode, roomName: string): Promise<TestClient> {
  const client = await connect(node.url);
  const reply = await client.request('system', 'joinRoom', { roomName });
  expect(reply.response).toMatchObject({ success: true });
  return client;
}

const seqs = (client: TestClient) =>
  client.received('stream', 'tick').map(frame => (frame.data as { seq: number }).seq);
const busUp = async (node: RoomcastNode) => (await node.server.getHealth()).bus.connected;

for (const kind of [ONE_REDIS, REDIS_CLUSTER]) {
  it(`${kind.name} SIGKILLed mid-stream and restarted: local traffic goes on, cross-node delivery resumes`, async () => {
    const target = await kind.start();
    try {
      const server = await target.serverOf('r', 'faults');
      const config = {
        redis: target.connection,
        appName: 'faults',
        store: { heartbeatMs: 200, nodeTtlMs: 3_000 },
      };
      const a = await start({ ...config, nodeId: 'A' });
      const b = await start({ ...config, nodeId: 'B' });
      const onA = await joined(a, 'r');
      const onB = await joined(b, 'r');

      let sent = 0;
      let streaming = true;
      const stream = (async () => {
        while (streaming) {
          await a.server.broadcastToRoom({
            roomName: 'r',
            data: { type: 'stream', action: 'tick', data: { seq: ++sent } },
          });
          await sleep(10); // a pace, not a wait: the stream only has to be flowing
        }
      })();
      try {
        await until('B to hear the stream', () => seqs(onB).length >= 5);
        await server.kill();
        const atKill = sent;
        if (kind === ONE_REDIS) {
          await until(
            'both nodes to report the bus down',
            async () => !(await busUp(a)) && !(await busUp(b)),
          );
        } else {
          // One master of three: the bus stays connected, publishes to its channels fail and are counted.
          await until('A to count dropped publishes', async () => (await a.busStats()).dropped > 0);
        }
        await until('A’s own client to keep hearing the stream', () =>
          seqs(onA).some(seq => seq > atKill + 5),
        );

        await server.restart();
        await until('both nodes to reconnect', async () => (await busUp(a)) && (await busUp(b)));
        const atRestart = sent;
        await until('B to hear the stream again', () => seqs(onB).some(seq => seq > atRestart));
      } finally {
        streaming = false;
        await stream;
      }
      // The other direction and the node-wide channel are back too.
      await b.server.broadcastToAllClients({ data: { type: 'test', action: 'fromB', data: null } });
      await onA.next(frame => frame.type === 'test' && frame.action === 'fromB', 20_000);
      // The restarted Redis lost the membership; heartbeats put it back.
      // Redis (or the master's shard) lost the membership; heartbeats put it back. Store calls
      // reject until the Cluster is whole again.
      await until('members registered again', () =>
        a.server.getRoomMembers('r').then(
          members => members.length === 2,
          () => false,
        ),
      );

      // A's client got every tick once, in order. The bus is at-most-once, so B may miss ticks
      // sent while it was cut off, but never gets one twice.
      expect(seqs(onA)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
      const onBSeqs = seqs(onB);
      expect(new Set(onBSeqs).size).toBe(onBSeqs.length);
      // On one server B's ticks also stay in order. On a Cluster they do not: ioredis retries the
      // SPUBLISHes caught by the outage one by one (random node, MOVED), and they land late and
      // shuffled, against the redis README's "in order" (reported, not fixed here).
      if (kind === ONE_REDIS) expect(onBSeqs).toEqual([...onBSeqs].sort((x, y) => x - y));
    } finally {
      await target.stop();
    }
  }, 90_000);
}

it('a SIGKILLed node’s members leave getRoomMembers within the store TTL, announced once', async () => {
  const config: NodeConfig = {
    redis: connection,
    appName: 'faults',
    rooms: { patterns: [{ match: 'r', presence: true }] },
    store: { heartbeatMs: 200, nodeTtlMs: 2_000 },
  };
  const nodes = [
    await start({ ...config, nodeId: 'A' }),
    await start({ ...config, nodeId: 'B' }),
    await start({ ...config, nodeId: 'C' }),
  ] as const;
  const [onA, onB, onC] = [
    await joined(nodes[0], 'r'),
    await joined(nodes[1], 'r'),
    await joined(nodes[2], 'r'),
  ];
  const [a, b, c] = nodes;
  const nodeIds = async (from: RoomcastNode) =>
    (await from.server.getRoomMembers('r')).map(m => m.nodeId).sort();
  expect(await nodeIds(a)).toEqual(['A', 'B', 'C']);

  await c.kill();
  // Bounded by the TTL plus a sweep, with room for a loaded machine.
  await until('C’s member to expire', async () => (await nodeIds(a)).join() === 'A,B', 15_000);
  expect(await nodeIds(b)).toEqual(['A', 'B']);
  expect(await b.server.getRooms()).toEqual(['r']);

  // Its presence expires too: the others hear one leave for C's client (SPEC section 10).
  const leftC = (frame: Frame) =>
    frame.type === 'presence' &&
    frame.action === 'leave' &&
    (frame.data as { clientId: string }).clientId === onC.clientId;
  for (const client of [onA, onB]) await client.next(leftC, 15_000);
  for (const origin of [a, b]) {
    await origin.server.broadcastToRoom({ roomName: 'r', data: { type: 'fence', action: origin.nodeId } });
  }
  for (const client of [onA, onB]) {
    for (const action of ['A', 'B']) await client.next(f => f.type === 'fence' && f.action === action);
    expect(client.frames.filter(leftC)).toHaveLength(1);
  }
});

it('two apps with different prefixes on one Redis never see each other’s messages or members', async () => {
  const subscribers = [{ channel: 'jobs' }];
  const alpha = { redis: connection, appName: 'alpha', subscribers };
  const beta = { redis: connection, prefix: 'staging:beta:', subscribers };
  const apps = {
    alpha: [await start({ ...alpha, nodeId: 'alpha-1' }), await start({ ...alpha, nodeId: 'alpha-2' })],
    beta: [await start({ ...beta, nodeId: 'beta-1' }), await start({ ...beta, nodeId: 'beta-2' })],
  };
  const clients = {
    alpha: [await joined(apps.alpha[0]!, 'r'), await joined(apps.alpha[1]!, 'r')],
    beta: [await joined(apps.beta[0]!, 'r'), await joined(apps.beta[1]!, 'r')],
  };

  /** Sends room, node-wide and subscriber traffic from an app's first node; its other node's client hears all three. */
  const traffic = async (app: 'alpha' | 'beta', id: string) => {
    const origin = apps[app][0]!;
    await origin.server.broadcastToRoom({
      roomName: 'r',
      data: { type: 'test', action: 'room', data: { id } },
    });
    await origin.server.broadcastToAllClients({ data: { type: 'test', action: 'all', data: { id } } });
    await origin.server.publish('jobs', { id });
    const heard = (client: TestClient) => client.frames.filter(frame => frameId(frame) === id).length;
    await until(`${app} to hear ${id}`, () => clients[app].every(client => heard(client) === 3));
  };
  // Redis runs one command at a time and pushes to each subscriber in that order: once a later
  // publish of one app is heard, an earlier one of the other app would have been heard too.
  await traffic('alpha', 'alpha-1');
  await traffic('beta', 'beta-1');
  await traffic('alpha', 'alpha-2');

  const ids = (client: TestClient) => client.frames.map(frameId).filter(id => id !== undefined);
  for (const client of clients.alpha) expect(new Set(ids(client))).toEqual(new Set(['alpha-1', 'alpha-2']));
  for (const client of clients.beta) expect(new Set(ids(client))).toEqual(new Set(['beta-1']));
  for (const node of apps.beta) {
    const runs = await node.subscriberRuns();
    expect(runs.map(run => (run.message as { id: string }).id)).toEqual(['beta-1']);
  }
  const members = async (node: RoomcastNode) =>
    (await node.server.getRoomMembers('r')).map(m => m.nodeId).sort();
  expect(await members(apps.alpha[0]!)).toEqual(['alpha-1', 'alpha-2']);
  expect(await members(apps.beta[1]!)).toEqual(['beta-1', 'beta-2']);
});

it('garbage from another app on our channel is logged once and ignored', async () => {
  const config = { redis: connection, appName: 'faults' };
  const a = await start({ ...config, nodeId: 'A' });
  const b = await start({ ...config, nodeId: 'B' });
  const onA = await connect(a.url);
  const raw = new Redis(redis.port, redis.host);
  try {
    for (const garbage of ['not a bus message', '{"kind":"room"}', '\u0000\u0001']) {
      await raw.publish('roomcast:faults:broadcast', garbage);
    }
  } finally {
    raw.disconnect();
  }
  await b.server.broadcastToAllClients({ data: { type: 'test', action: 'after', data: null } });
  await onA.next(frame => frame.type === 'test' && frame.action === 'after', 20_000);
  const warnings = a.logs.filter(line => /malformed bus message/.test(line.message));
  expect(warnings).toHaveLength(1);
  expect(onA.frames.map(frame => `${frame.type}.${frame.action}`)).toEqual([
    'system.connected',
    'test.after',
  ]);
  expect((await a.server.getHealth()).status).toBe('healthy');
});
