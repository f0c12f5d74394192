// @roomcast/client across a Redis outage of its node: live messages go on, `roomNotRecovered`
// fires once the stream is back, and the position it gives makes the next reconnect exact.
import { RoomcastClient } from '@roomcast/client';
import { NetworkRelay } from '@roomcast/test-support/network-relay';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { until } from './support/clients';
import { type RoomcastNode, useNodes } from './support/roomcast-node';

vi.setConfig({ testTimeout: 120_000 });

const startNode = useNodes();
let redis: RedisProcess;
const relays: NetworkRelay[] = [];
const clients: RoomcastClient[] = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await Promise.all(relays.splice(0).map(relay => relay.stop()));
});

const ROOM = 'chat:r';
const say = (node: RoomcastNode, n: number) =>
  node.server.broadcastToRoom({ roomName: ROOM, data: { type: 'chat', action: 'message', data: n } });
const portOf = (url: string) => Number(new URL(url).port);

it('keeps showing its node’s messages while that node is cut from Redis, then says roomNotRecovered once, and the next reconnect is exact', async () => {
  const toRedis = await NetworkRelay.start(redis.port);
  relays.push(toRedis);
  const rooms = { patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 60_000 } }] };
  const a = await startNode({ redis: { host: '127.0.0.1', port: toRedis.port }, appName: 'notices', rooms });
  const b = await startNode({ redis: { host: redis.host, port: redis.port }, appName: 'notices', rooms });
  const toA = await NetworkRelay.start(portOf(a.url));
  relays.push(toA);
  const client = new RoomcastClient({
    url: `ws://127.0.0.1:${toA.port}/ws`,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });
  clients.push(client);
  const seen: number[] = [];
  const offsets: (number | undefined)[] = [];
  client.on('chat', 'message', (n: number, frame) => {
    seen.push(n);
    offsets.push((frame as { offset?: number }).offset);
  });
  const notRecovered: string[] = [];
  client.events.on('roomNotRecovered', ({ room }) => notRecovered.push(room));
  await client.connect();
  await client.joinRoom(ROOM);
  await say(a, 1);
  await until('the first message', () => seen.includes(1));

  toRedis.down();
  for (const n of [2, 3, 4]) await say(a, n);
  // Seen before the relay comes back up: live delivery did not wait for Redis.
  await until('node A’s messages, live, while Redis is out of reach', () => seen.includes(4));
  await say(b, 100); // never reaches A's members: A is cut off
  toRedis.up();
  await until('roomNotRecovered once the stream is back', () => notRecovered.length === 1);
  // Healed means both of A's Redis connections are back: the notice can come while the
  // subscriber is still reconnecting, and a message sent then goes live, as it should.
  await until(
    'node A’s bus connected again',
    async () => (await a.server.getHealth()).bus?.connected === true,
  );
  await say(a, 5);
  await until('the next message, exact again', () => seen.includes(5));
  expect(offsets.slice(1, 4)).toEqual([undefined, undefined, undefined]);
  expect(typeof offsets.at(-1)).toBe('number');

  // Away and back through node B: exactly what came after the position the notice gave.
  toA.down();
  await say(b, 6);
  const back = new Promise<void>(resolve => client.events.on('reconnected', () => resolve()));
  toA.retarget(portOf(b.url));
  toA.up();
  await back;
  await until('the message sent while away', () => seen.includes(6));
  await say(b, 7);
  await until('the live message after the replay', () => seen.includes(7));
  expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7]);
  expect(notRecovered).toEqual([ROOM]);
});
