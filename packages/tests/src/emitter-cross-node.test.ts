// Issue 20, "Done when": a child process holding only the emitter (createEmitter from the built
// @roomcast/redis, no ws, no server) publishes into rooms with members on two nodes: each member
// gets each message exactly once; history rooms give them offsets, the same on both nodes, and
// replay them with { since, epoch }. On one redis-server and on a 3-master Cluster.
import { signToken } from '@roomcast/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, frameId, openClient, type TestClient } from './support/clients';
import { type EmitterProcess, startEmitter } from './support/emitter-process';
import { ONE_REDIS, REDIS_CLUSTER, type RedisTarget } from './support/redis-targets';
import { type RoomcastNode, startNode } from './support/roomcast-node';

const APP = 'emitter';
const SECRET = 'emitter-cross-node-secret-of-32-bytes';
const JOBS = 'jobs';
const KEPT = 'kept:r';
const rooms = { patterns: [{ match: 'kept:*', history: { size: 100, ttlMs: 60_000 } }] };

/**
 *   A: a1 alice [plain, kept:r]
 *   B: b1 bob   [plain, kept:r]    b2 alice (no room)
 */
const PLACEMENT = [
  ['a1', 'A', 'alice', true],
  ['b1', 'B', 'bob', true],
  ['b2', 'B', 'alice', false],
] as const;
type Name = (typeof PLACEMENT)[number][0];
const EVERYONE: Name[] = PLACEMENT.map(([name]) => name);

interface Layout {
  nodes: Record<'A' | 'B', RoomcastNode>;
  clients: Record<Name, TestClient>;
  emitter: EmitterProcess;
}

async function setUp(redis: RedisTarget): Promise<Layout> {
  const config = {
    redis: redis.connection,
    appName: APP,
    auth: { secret: SECRET },
    rooms,
    subscribers: [{ channel: JOBS }],
  };
  const nodes = {
    A: await startNode({ ...config, nodeId: 'A' }),
    B: await startNode({ ...config, nodeId: 'B' }),
  };
  const clients = {} as Record<Name, TestClient>;
  for (const [name, node, user, member] of PLACEMENT) {
    const client = await openClient(nodes[node].url, { token: token(user) });
    if (member) {
      for (const roomName of ['plain', KEPT])
        expect((await client.request('system', 'joinRoom', { roomName })).response).toMatchObject({
          success: true,
        });
    }
    clients[name] = client;
  }
  const emitter = await startEmitter({ connection: redis.connection, appName: APP, rooms });
  return { nodes, clients, emitter };
}

const token = (sub: string) => signToken({ sub }, { secret: SECRET, expiresIn: '1h' });
const test = (kind: string, id: string) => ({ type: 'test', action: kind, data: { id } });

/** Every test frame a client got, as `kind:id`, and every subscriber run it heard of. */
function received(client: TestClient): string[] {
  return client.frames
    .filter(frame => frame.type === 'test' || frame.type === 'subscriber')
    .filter(frame => frameId(frame) !== undefined)
    .map(frame => `${frame.type === 'test' ? frame.action : 'publish'}:${frameId(frame)}`)
    .sort();
}

/**
 * A last message on every channel the emitter used; one connection's messages on one channel
 * arrive in order, so once a client has its fences, nothing the emitter sent before is on its way.
 */
async function fence({ emitter, clients }: Layout): Promise<void> {
  const isFence = (where: string) => (frame: Frame) => {
    const data = (frame.type === 'subscriber' ? (frame.data as { message: unknown }).message : frame.data) as
      | { fence?: string }
      | undefined;
    return data?.fence === where;
  };
  const data = (where: string) => ({ type: 'fence', action: where, data: { fence: where } });
  await emitter.call('broadcastToRoom', { roomName: 'plain', data: data('plain') });
  await emitter.call('broadcastToRoom', { roomName: KEPT, data: data(KEPT) });
  await emitter.call('broadcastToAllClients', { data: data('broadcast') });
  await emitter.call('publish', JOBS, { fence: 'events' });
  await Promise.all(
    PLACEMENT.flatMap(([name, , , member]) =>
      ['broadcast', 'events', ...(member ? ['plain', KEPT] : [])].map(where =>
        clients[name].next(isFence(where), 20_000),
      ),
    ),
  );
}

function suite(name: string, start: () => Promise<RedisTarget>) {
  describe(`an emitter process and two nodes on ${name}`, () => {
    let redis: RedisTarget;
    let layout: Layout;

    beforeAll(async () => {
      redis = await start();
      layout = await setUp(redis);
    }, 180_000);

    afterAll(async () => {
      await layout?.emitter.close();
      await Promise.all(Object.values(layout?.clients ?? {}).map(client => client.close()));
      await Promise.all(Object.values(layout?.nodes ?? {}).map(node => node.stop()));
      await redis?.stop();
    });

    it('every call reaches each target exactly once, on both nodes, and no one else', async () => {
      const { emitter, clients } = layout;
      const expected: Record<Name, string[]> = { a1: [], b1: [], b2: [] };
      const sent = async (
        kind: string,
        targets: readonly Name[],
        call: (data: object) => Promise<unknown>,
      ) => {
        for (let n = 1; n <= 3; n++) {
          const id = `${kind}-${n}`;
          await call(test(kind, id));
          for (const target of targets) expected[target].push(`${kind}:${id}`);
        }
      };
      await sent('room', ['a1', 'b1'], data => emitter.call('broadcastToRoom', { roomName: 'plain', data }));
      await sent('roomExcept', ['a1'], data =>
        emitter.call('broadcastToRoom', { roomName: 'plain', data, excludeClientId: clients.b1.clientId }),
      );
      await sent('durable', ['a1', 'b1'], data => emitter.call('broadcastToRoom', { roomName: KEPT, data }));
      await sent('durableExcept', ['b1'], data =>
        emitter.call('broadcastToRoom', { roomName: KEPT, data, excludeClientId: clients.a1.clientId }),
      );
      await sent('ephemeral', ['a1', 'b1'], data =>
        emitter.call('broadcastToRoom', { roomName: KEPT, data, ephemeral: true }),
      );
      await sent('users', ['a1', 'b2'], data =>
        emitter.call('broadcastToUsers', { userIds: ['alice'], data }),
      );
      await sent('clients', ['b1', 'b2'], data =>
        emitter.call('broadcastToClients', [clients.b1.clientId, clients.b2.clientId], data),
      );
      await sent('all', EVERYONE, data => emitter.call('broadcastToAllClients', { data }));
      await sent('allExcept', ['a1', 'b1'], data =>
        emitter.call('broadcastToAllClients', { data, excludeClientId: clients.b2.clientId }),
      );
      await sent('messageToAll', EVERYONE, data => emitter.call('sendMessageToAll', { data }));
      // A subscriber runs once on each node and answers through server.local: one frame per client.
      for (let n = 1; n <= 3; n++) {
        await emitter.call('publish', JOBS, { id: `publish-${n}` });
        for (const target of EVERYONE) expected[target].push(`publish:publish-${n}`);
      }
      await fence(layout);
      for (const name of EVERYONE)
        expect({ [name]: received(clients[name]) }).toEqual({ [name]: expected[name].sort() });
    });

    it('durable messages carry the offset the emitter got, the same on both nodes, and replay with since', async () => {
      const { emitter, clients, nodes } = layout;
      const results: { offset?: number | undefined; epoch?: string | undefined }[] = [];
      for (let n = 1; n <= 5; n++)
        results.push(
          await emitter.call('broadcastToRoom', { roomName: KEPT, data: test('offsets', `o${n}`) }),
        );
      const offsets = results.map(result => result.offset);
      const { epoch } = results[0]!;
      expect(offsets.every(offset => Number.isSafeInteger(offset))).toBe(true);
      expect(offsets).toEqual(offsets.map((_, i) => offsets[0]! + i));
      expect(results.every(result => result.epoch === epoch)).toBe(true);
      const seen = (client: TestClient) =>
        client.received('test', 'offsets').map(frame => [frameId(frame), frame.offset, frame.room]);
      const want = offsets.map((offset, i) => [`o${i + 1}`, offset, KEPT]);
      for (const client of [clients.a1, clients.b1]) {
        await client.next(frame => frameId(frame) === 'o5');
        expect(seen(client)).toEqual(want);
      }

      // A client that saw up to the second message gets the three after it, on either node.
      for (const node of [nodes.A, nodes.B]) {
        const late = await openClient(node.url, { token: token('carol') });
        const reply = await late.request('system', 'joinRoom', { roomName: KEPT, since: offsets[1], epoch });
        expect(reply.response).toMatchObject({ success: true, recovered: true, epoch });
        expect(seen(late)).toEqual(want.slice(2));
        await late.close();
      }
    });
  });
}

suite(ONE_REDIS.name, ONE_REDIS.start);
suite(REDIS_CLUSTER.name, REDIS_CLUSTER.start);
