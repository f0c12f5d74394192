import { type BusMessage, decodeBusMessage, MemoryBus } from '@roomcast/protocol';
import { MemoryHistory } from '@roomcast/rooms';
import { collector, until } from '@roomcast/test-support/helpers';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBusEmitter } from './bus-emitter';
import { createEmitter } from './emitter';
import { RedisHistory } from './redis-history';

// What an emitter puts on Redis, read back as a node reads it (decodeBusMessage). Delivery to
// members on two nodes, on one server and on a Cluster, is tested in packages/tests.
let redis: RedisProcess;
let client: Redis;
let subscriber: Redis;
const heard: { channel: string; message: BusMessage | undefined }[] = [];
const HISTORY = { size: 10, ttlMs: 60_000 };
const rooms = { patterns: [{ match: 'kept:*', history: HISTORY }] };

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
  subscriber = new Redis(redis.port, '127.0.0.1');
  subscriber.on('pmessage', (_pattern: string, channel: string, payload: string) =>
    heard.push({ channel, message: decodeBusMessage(payload) }),
  );
  await subscriber.psubscribe('roomcast:emit:*');
});
afterAll(async () => {
  client.disconnect();
  subscriber.disconnect();
  await redis.stop();
});

async function nextHeard(count = 1) {
  const from = heard.length;
  return async () => {
    await until(`${count} bus messages`, () => heard.length >= from + count);
    return heard.slice(from, from + count);
  };
}

describe('createEmitter', () => {
  it('publishes each kind as a node does: header, then the frame serialized once', async () => {
    const emitter = createEmitter({ client, appName: 'emit', rooms });
    expect(emitter.origin).toMatch(/^emitter:/);
    const got = await nextHeard(6);
    const data = { type: 'job', action: 'done', data: { id: 7 } };
    await expect(
      emitter.broadcastToRoom({ roomName: 'plain', data, excludeClientId: 'c1' }),
    ).resolves.toEqual({
      offset: undefined,
      epoch: undefined,
    });
    await emitter.broadcastToUsers({ userIds: ['u1', 2], data });
    await emitter.broadcastToClients(['c2', 'c3'], data);
    await emitter.broadcastToAllClients({ data, excludeClientId: 'c4' });
    await emitter.publish('queueJobCompleted', { jobId: 42 });
    await emitter.sendCustomMessage({ data: { hello: 1 } });
    const origin = emitter.origin;
    expect(await got()).toEqual([
      {
        channel: 'roomcast:emit:room:plain',
        message: {
          header: { kind: 'room', origin, room: 'plain', exclude: 'c1' },
          body: JSON.stringify({ ...data, room: 'plain' }),
        },
      },
      {
        channel: 'roomcast:emit:broadcast',
        message: { header: { kind: 'users', origin, users: ['u1', 2] }, body: JSON.stringify(data) },
      },
      {
        channel: 'roomcast:emit:broadcast',
        message: { header: { kind: 'clients', origin, clients: ['c2', 'c3'] }, body: JSON.stringify(data) },
      },
      {
        channel: 'roomcast:emit:broadcast',
        message: { header: { kind: 'all', origin, exclude: 'c4' }, body: JSON.stringify(data) },
      },
      {
        channel: 'roomcast:emit:events',
        message: { header: { kind: 'event', origin, channel: 'queueJobCompleted' }, body: '{"jobId":42}' },
      },
      {
        channel: 'roomcast:emit:events',
        message: { header: { kind: 'event', origin, channel: 'custom' }, body: '{"hello":1}' },
      },
    ]);
    await emitter.close();
    expect(client.status).toBe('ready'); // the caller's client stays open
  });

  it('appends durable messages of a history room and resolves with their offsets', async () => {
    const emitter = createEmitter({ client, appName: 'emit', rooms });
    const got = await nextHeard(3);
    const data = (n: number) => ({ type: 'chat', action: 'message', data: n });
    const first = await emitter.broadcastToRoom({ roomName: 'kept:a', data: data(1) });
    const second = await emitter.broadcastToRoom({ roomName: 'kept:a', data: data(2) });
    const ephemeral = await emitter.broadcastToRoom({ roomName: 'kept:a', data: data(3), ephemeral: true });
    expect([first.offset, second.offset, ephemeral.offset]).toEqual([1, 2, undefined]);
    expect(second.epoch).toBe(first.epoch);
    const [one, two, three] = await got();
    expect(one?.message?.header).toMatchObject({
      kind: 'durable',
      room: 'kept:a',
      offset: 1,
      epoch: first.epoch,
    });
    expect(two?.message?.header).toMatchObject({ kind: 'durable', offset: 2, origin: emitter.origin });
    expect(three?.message?.header).toMatchObject({ kind: 'room', room: 'kept:a' });
    // A node's RedisHistory on the same prefix replays them.
    const history = new RedisHistory({ client, appName: 'emit' });
    const replay = await history.since('kept:a', 0, first.epoch);
    expect(replay.recovered).toBe(true);
    expect(replay.entries.map(entry => JSON.parse(entry.frame))).toEqual([
      { ...data(1), room: 'kept:a', offset: 1 },
      { ...data(2), room: 'kept:a', offset: 2 },
    ]);
    await history.close();
    await emitter.close();
  });

  it('opens and quits its own client for { connection }', async () => {
    const emitter = createEmitter({ connection: { host: '127.0.0.1', port: redis.port }, appName: 'emit' });
    const got = await nextHeard();
    await emitter.sendMessageToAll({ data: { type: 'x', action: 'y' } });
    expect((await got())[0]?.message?.header).toMatchObject({ kind: 'all' });
    await emitter.close();
    await expect(emitter.sendMessageToAll({ data: {} })).rejects.toThrow(/closed/);
  });

  it('refuses misuse with a TypeError that says what to pass', async () => {
    expect(() => createEmitter({ appName: 'emit' })).toThrow(/pass client .* or connection/);
    expect(() => createEmitter({ client, prefix: 'a{b}:' })).toThrow(TypeError);
    const emitter = createEmitter({ client, appName: 'emit', rooms });
    await expect(emitter.broadcastToRoom({ roomName: 'bad name', data: {} })).rejects.toThrow(/roomName/);
    await expect(emitter.broadcastToRoom({ roomName: 'kept:a', data: 'text' })).rejects.toThrow(/object/);
    await expect(emitter.broadcastToUsers({ userIds: [{}] as never, data: {} })).rejects.toThrow(/userIds/);
    await expect(emitter.broadcastToClients([''], {})).rejects.toThrow(/clientIds/);
    await expect(emitter.publish('', {})).rejects.toThrow(/channel/);
    await emitter.close();
  });
});

describe('createBusEmitter', () => {
  it('publishes an in-process history’s durable message itself, after the append', async () => {
    const bus = new MemoryBus();
    const history = new MemoryHistory();
    const emitter = createBusEmitter({ bus, history, rooms, origin: 'emitter:test' });
    const got = collector();
    await bus.subscribe('room:kept:b', got.listener);
    const { offset, epoch } = await emitter.broadcastToRoom({
      roomName: 'kept:b',
      data: { type: 't', action: 'a' },
    });
    await got.wait(1);
    expect(offset).toBe(1);
    expect(decodeBusMessage(got.payloads[0] ?? '')?.header).toEqual({
      kind: 'durable',
      origin: 'emitter:test',
      room: 'kept:b',
      id: 'emitter:test.1',
      offset: 1,
      epoch,
    });
    await emitter.close();
    await Promise.all([bus.close(), history.close()]);
  });
});
