// Issue 5, "Done when": three nodes in child processes, clients spread over them, every broadcast
// kind from every node reaches each target exactly once and nobody else; a node with no member
// in a room gets no bus traffic for it. The same suite on one Redis and on a 3-master Cluster.
// (packages/redis tests the bus alone, in-process; this is the whole server, across processes.)
import { signToken } from '@roomcast/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Frame, frameId, openClient, type TestClient } from './support/clients';
import { ONE_REDIS, REDIS_CLUSTER, type RedisTarget } from './support/redis-targets';
import { type RoomcastNode, startNode } from './support/roomcast-node';

const APP = 'delivery';
const SECRET = 'cross-node-delivery-secret-of-32-bytes';
const PUBLISH_CHANNEL = 'test.publish';

interface Layout {
  nodes: Record<'A' | 'B' | 'C', RoomcastNode>;
  clients: Record<string, TestClient>;
  /** The second room, on the same Redis server as `r` (see RedisTarget.roomBeside). */
  side: string;
}

/**
 *   A: a1 alice [r]    a2 bob
 *   B: b1 alice [r]    b2 carol [r]
 *   C: c1 bob [side]   c2 dave        (C has no member of r)
 */
const PLACEMENT = [
  ['a1', 'A', 'alice', 'r'],
  ['a2', 'A', 'bob', null],
  ['b1', 'B', 'alice', 'r'],
  ['b2', 'B', 'carol', 'r'],
  ['c1', 'C', 'bob', 'side'],
  ['c2', 'C', 'dave', null],
] as const;
const EVERYONE = PLACEMENT.map(([name]) => name);

async function setUp(redis: RedisTarget): Promise<Layout> {
  const config = {
    redis: redis.connection,
    appName: APP,
    auth: { secret: SECRET },
    subscribers: [{ channel: PUBLISH_CHANNEL }],
  };
  // One at a time: three forks at once are slow on a small, shared machine.
  const nodes = {
    A: await startNode({ ...config, nodeId: 'A' }),
    B: await startNode({ ...config, nodeId: 'B' }),
    C: await startNode({ ...config, nodeId: 'C' }),
  };
  const side = await redis.roomBeside('r', APP);
  const clients: Record<string, TestClient> = {};
  for (const [name, node, user, room] of PLACEMENT) {
    const token = signToken({ sub: user }, { secret: SECRET, expiresIn: '1h' });
    const client = await openClient(nodes[node].url, { token });
    if (room)
      expect(
        (await client.request('system', 'joinRoom', { roomName: room === 'r' ? 'r' : side })).response,
      ).toMatchObject({ success: true });
    clients[name] = client;
  }
  return { nodes, clients, side };
}

/** What a client got: `kind:id` for every test frame and every subscriber run it heard of. */
function received(client: TestClient): string[] {
  return client.frames
    .filter(frame => frame.type === 'test' || frame.type === 'subscriber')
    .map(frame => [frame.type === 'test' ? frame.action : 'publish', frameId(frame)])
    .filter(([, id]) => id !== undefined)
    .map(([kind, id]) => `${kind}:${id}`)
    .sort();
}

const isFence = (channel: string, origin: string) => (frame: Frame) => {
  const data = (frame.type === 'subscriber' ? (frame.data as { message: unknown }).message : frame.data) as
    | { fence?: string; origin?: string }
    | undefined;
  return data?.fence === channel && data.origin === origin;
};

/**
 * Waits until each client has every fence it should get from every origin. Messages from one
 * node on one channel arrive in order, so once a channel's fence is in, nothing sent before it
 * on that channel is still on its way.
 */
async function fence({ nodes, clients, side }: Layout): Promise<void> {
  for (const [origin, node] of Object.entries(nodes)) {
    const data = (channel: string) => ({ type: 'fence', action: channel, data: { fence: channel, origin } });
    await node.server.broadcastToRoom({ roomName: 'r', data: data('r') });
    await node.server.broadcastToRoom({ roomName: side, data: data('side') });
    await node.server.broadcastToAllClients({ data: data('broadcast') });
    await node.server.publish(PUBLISH_CHANNEL, { fence: 'events', origin });
  }
  await Promise.all(
    PLACEMENT.flatMap(([name, , , room]) =>
      Object.keys(nodes).flatMap(origin => {
        const channels = ['broadcast', 'events', ...(room ? [room] : [])];
        return channels.map(channel => clients[name]!.next(isFence(channel, origin), 20_000));
      }),
    ),
  );
}

function suite(name: string, start: () => Promise<RedisTarget>) {
  describe(`three nodes on ${name}`, () => {
    let redis: RedisTarget;
    let layout: Layout;

    beforeAll(async () => {
      redis = await start();
      layout = await setUp(redis);
    }, 120_000);

    afterAll(async () => {
      await Promise.all(Object.values(layout?.clients ?? {}).map(client => client.close()));
      await Promise.all(Object.values(layout?.nodes ?? {}).map(node => node.stop()));
      await redis?.stop();
    });

    it('every broadcast kind, from every node, reaches each target exactly once and no one else', async () => {
      const { nodes, clients, side } = layout;
      const id = (clientName: string) => clients[clientName]!.clientId;
      const expected: Record<string, string[]> = Object.fromEntries(EVERYONE.map(name => [name, []]));
      for (const [origin, node] of Object.entries(nodes)) {
        const sent = async (
          kind: string,
          targets: readonly string[],
          call: (data: object) => Promise<unknown>,
        ) => {
          const key = `${kind}@${origin}`;
          await call({ type: 'test', action: kind, data: { id: key } });
          for (const target of targets) expected[target]!.push(`${kind}:${key}`);
        };
        await sent('room', ['a1', 'b1', 'b2'], data => node.server.broadcastToRoom({ roomName: 'r', data }));
        await sent('roomExcept', ['a1', 'b2'], data =>
          node.server.broadcastToRoom({ roomName: 'r', data, excludeClientId: id('b1') }),
        );
        await sent('all', EVERYONE, data => node.server.broadcastToAllClients({ data }));
        await sent(
          'allExcept',
          EVERYONE.filter(n => n !== 'c2'),
          data => node.server.broadcastToAllClients({ data, excludeClientId: id('c2') }),
        );
        await sent('users', ['a1', 'b1', 'c2'], data =>
          node.server.broadcastToUsers({ userIds: ['alice', 'dave'], data }),
        );
        await sent('client', ['b2'], data => node.server.broadcastToClient({ clientId: id('b2'), data }));
        await sent('messageToAll', EVERYONE, data => node.server.sendMessageToAll({ data }));
        await sent('sendToRooms', ['a1', 'b1', 'b2', 'c1'], data =>
          node.service.sendToRooms(['r', side], data),
        );
        await sent('sendToClients', ['a2', 'c2'], data =>
          node.service.sendToClients([id('a2'), id('c2')], data),
        );
        await sent('clients', ['a1', 'c1'], data =>
          node.server.broadcastToClients([id('a1'), id('c1')], data),
        );
        await sent('serviceBroadcast', EVERYONE, data => node.service.broadcast(data));
        // Subscribers run once per node and answer through server.local: one frame per client.
        const key = `publish@${origin}`;
        await node.server.publish(PUBLISH_CHANNEL, { id: key });
        for (const target of EVERYONE) expected[target]!.push(`publish:${key}`);
      }
      await fence(layout);

      for (const name of EVERYONE)
        expect({ [name]: received(clients[name]!) }).toEqual({ [name]: expected[name]!.sort() });
    });

    it('a node with no member in a room receives no bus traffic for it', async () => {
      const { nodes } = layout;
      for (const node of [nodes.A, nodes.B, nodes.C]) {
        await node.server.broadcastToRoom({
          roomName: 'r',
          data: { type: 'traffic', action: 'r', data: null },
        });
      }
      // The side-room fences reach C after every r message its origin sent, on the same Redis
      // server: had C been subscribed to r, those messages would be counted by now.
      await fence(layout);
      const stats = { A: await nodes.A.busStats(), B: await nodes.B.busStats(), C: await nodes.C.busStats() };
      expect(stats.C.receivedByChannel['room:r']).toBeUndefined();
      expect(stats.C.receivedByChannel[`room:${layout.side}`]).toBeGreaterThan(0);
      // A and B hear r from the two other nodes (a node skips what it published itself).
      expect(stats.A.receivedByChannel['room:r']).toBeGreaterThan(0);
      expect(stats.B.receivedByChannel['room:r']).toBeGreaterThan(0);
    });

    it('a node subscribes to a room on its first local join and drops it on its last leave', async () => {
      const { nodes, clients } = layout;
      const c2 = clients.c2!;
      const inRoom = (id: string) => ({
        roomName: 'r',
        data: { type: 'traffic', action: 'r', data: { id } },
      });
      const heard = () => c2.received('traffic', 'r').map(frameId);
      await c2.request('system', 'joinRoom', { roomName: 'r' });
      await nodes.A.server.broadcastToRoom(inRoom('while-member'));
      await c2.next(frame => frameId(frame) === 'while-member');
      await c2.request('system', 'leaveRoom', { roomName: 'r' });
      const counted = (await nodes.C.busStats()).receivedByChannel['room:r'];
      expect(counted).toBeGreaterThan(0);

      await nodes.A.server.broadcastToRoom(inRoom('after-leave'));
      await nodes.B.server.broadcastToRoom(inRoom('after-leave'));
      await fence(layout);
      expect((await nodes.C.busStats()).receivedByChannel['room:r']).toBe(counted);
      expect(heard()).toEqual(['while-member']);
    });
  });
}

suite(ONE_REDIS.name, ONE_REDIS.start);
suite(REDIS_CLUSTER.name, REDIS_CLUSTER.start);
