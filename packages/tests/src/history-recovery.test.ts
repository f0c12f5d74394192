// Issue 9 with real Redis and nodes in child processes: a client that drops (or whose node dies)
// and comes back through another node gets exactly the room messages it missed, in order.
import { RoomcastClient } from '@roomcast/client';
import { NetworkRelay } from '@roomcast/test-support/network-relay';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Frame, until, useClients } from './support/clients';
import { type NodeConfig, type RoomcastNode, useNodes } from './support/roomcast-node';

vi.setConfig({ testTimeout: 180_000 });

const startNode = useNodes();
const connect = useClients();
let redis: RedisProcess;
let relay: NetworkRelay | undefined;
const clients: RoomcastClient[] = [];
let appCount = 0;

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await relay?.stop();
  relay = undefined;
});

/** Two nodes of a fresh app (own key prefix), rooms `chat:*` keeping `size` messages. */
async function twoNodes(size = 100): Promise<[RoomcastNode, RoomcastNode]> {
  const config: NodeConfig = {
    redis: { host: redis.host, port: redis.port },
    appName: `history-${++appCount}`,
    rooms: { patterns: [{ match: 'chat:*', presence: true, history: { size, ttlMs: 60_000 } }] },
    store: { heartbeatMs: 200, nodeTtlMs: 2_000, sweepMs: 200 },
  };
  return [await startNode({ ...config, nodeId: 'A' }), await startNode({ ...config, nodeId: 'B' })];
}

const portOf = (node: RoomcastNode) => Number(new URL(node.url).port);

/**
 * A RoomcastClient that reaches the nodes through a relay (a load balancer the test controls),
 * joined to `chat:r`, recording the `n` of every chat message it shows.
 */
async function clientVia(first: RoomcastNode) {
  relay = await NetworkRelay.start(portOf(first));
  const client = new RoomcastClient({
    url: `ws://127.0.0.1:${relay.port}/ws`,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  clients.push(client);
  const seen: number[] = [];
  client.on('chat', 'message', (n: number) => seen.push(n));
  const notRecovered: string[] = [];
  client.events.on('roomNotRecovered', ({ room }) => notRecovered.push(room));
  await client.connect();
  await client.joinRoom('chat:r');
  const via = relay;
  /** The network comes back, now leading to `node`; resolves once the client has reconnected. */
  const comeBackTo = async (node: RoomcastNode) => {
    const back = reconnected(client);
    via.retarget(portOf(node));
    via.up();
    await back;
  };
  return { client, relay, seen, notRecovered, comeBackTo };
}

const say = (node: RoomcastNode, n: number) =>
  node.server.broadcastToRoom({ roomName: 'chat:r', data: { type: 'chat', action: 'message', data: n } });
async function sayEach(node: RoomcastNode, from: number, to: number) {
  for (let n = from; n <= to; n++) await say(node, n);
}
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const reconnected = (client: RoomcastClient) =>
  new Promise<void>(resolve => {
    const off = client.events.on('reconnected', () => {
      off();
      resolve();
    });
  });

describe('recovery across nodes (real Redis, nodes in child processes)', () => {
  it('socket lost while 50 messages go out on another node: all 50 after reconnecting elsewhere', async () => {
    const [a, b] = await twoNodes();
    const { relay, seen, comeBackTo } = await clientVia(a);
    await say(b, 0);
    await until('the first message', () => seen.length === 1);

    relay.down();
    await sayEach(b, 1, 50);
    await comeBackTo(b);
    await say(b, 51);
    await until('the live message after the replay', () => seen.includes(51));
    expect(seen).toEqual(range(0, 51));
  });

  it('the node the client was on SIGKILLed: all 50 after reconnecting to another node', async () => {
    const [a, b] = await twoNodes();
    const { relay, seen, comeBackTo } = await clientVia(a);
    relay.down();
    await a.kill();
    await sayEach(b, 1, 50);
    await comeBackTo(b);
    await say(b, 51);
    await until('the live message after the replay', () => seen.includes(51));
    expect(seen).toEqual(range(1, 51));
  });

  it('a gap beyond the history: recovered: false reaches the app, live messages go on', async () => {
    const [a, b] = await twoNodes(20);
    const { relay, seen, notRecovered, comeBackTo } = await clientVia(a);
    relay.down();
    await sayEach(b, 1, 30);
    await comeBackTo(b);
    expect(notRecovered).toEqual(['chat:r']);
    expect(seen).toEqual([]);
    await say(b, 31);
    await until('the live message', () => seen.includes(31));
    expect(seen).toEqual([31]);
  });

  it('2,000 broadcasts racing a recovering join: no loss, no duplicate, in offset order', async () => {
    const [a, b] = await twoNodes(5_000);
    const { client, relay, seen, comeBackTo } = await clientVia(a);
    const offsets: number[] = [];
    client.events.on('message', frame => {
      if (frame.type === 'chat' && 'offset' in frame && typeof frame.offset === 'number')
        offsets.push(frame.offset);
    });
    relay.down();
    await sayEach(b, 1, 100);
    // The client reconnects and rejoins while node B publishes one message per millisecond.
    let back: Promise<void> | undefined;
    for (let n = 101; n <= 2_100; n++) {
      await say(b, n);
      if (n === 150) back = comeBackTo(b);
      await new Promise(resolve => setTimeout(resolve, 1));
    }
    await back;
    await until('the last message', () => seen.includes(2_100));
    expect(seen).toEqual(range(1, 2_100));
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
    expect(new Set(offsets).size).toBe(offsets.length);
  });
});

describe('presence across nodes', () => {
  const presence = (frames: Frame[], action: 'join' | 'leave') =>
    frames
      .filter(f => f.type === 'presence' && f.action === action)
      .map(f => (f.data as { clientId: string }).clientId);

  it('members on other nodes see joins and leaves; a killed node’s members leave within the TTL', async () => {
    const [a, b] = await twoNodes();
    const onB = await connect(b.url);
    await onB.request('system', 'joinRoom', { roomName: 'chat:p' });
    const onA = await connect(a.url);
    await onA.request('system', 'joinRoom', { roomName: 'chat:p' });
    await until('B sees A’s member join', () => presence(onB.frames, 'join').includes(onA.clientId));

    const listed = await onB.request('system', 'presence', { roomName: 'chat:p' });
    expect(
      (listed.response as { members: { clientId: string }[] }).members.map(m => m.clientId).sort(),
    ).toEqual([onA.clientId, onB.clientId].sort());

    const second = await connect(a.url);
    await second.request('system', 'joinRoom', { roomName: 'chat:p' });
    await second.request('system', 'leaveRoom', { roomName: 'chat:p' });
    await until('B sees the leave', () => presence(onB.frames, 'leave').includes(second.clientId));

    await a.kill();
    await until(
      'B sees the killed node’s member leave',
      () => presence(onB.frames, 'leave').includes(onA.clientId),
      30_000,
    );
    expect(await b.server.getRoomMembers('chat:p')).toEqual([
      expect.objectContaining({ clientId: onB.clientId }),
    ]);
  });
});
