import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHistory, type RedisHistoryOptions } from './redis-history';
import { until } from './test-support/helpers';
import { type RedisProcess, startRedis } from './test-support/redis-process';

let redis: RedisProcess;
let client: Redis;
let history: RedisHistory;
let room = 0;
const keep = { size: 10, ttlMs: 60_000 };

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
  history = new RedisHistory({ client, appName: 'history' });
});
afterAll(async () => {
  await history.close();
  client.disconnect();
  await redis.stop();
});

const frame = (n: number) => `{"type":"chat","action":"message","room":"r","data":${n}}`;
const withOffsetOf = (n: number) => `{"type":"chat","action":"message","room":"r","data":${n},"offset":${n}}`;
const nextRoom = () => `room-${++room}`;

describe('RedisHistory', () => {
  it('gives every message the next offset, per room, and stores the frame with it', async () => {
    const a = nextRoom();
    const b = nextRoom();
    expect(await history.append(a, frame(1), keep)).toEqual({ offset: 1, frame: withOffsetOf(1) });
    expect(await history.append(a, frame(2), keep)).toEqual({ offset: 2, frame: withOffsetOf(2) });
    expect((await history.append(b, frame(1), keep)).offset).toBe(1);
    const concurrent = await Promise.all([3, 4, 5].map(n => history.append(a, frame(n), keep)));
    expect(concurrent.map(entry => entry.offset).sort()).toEqual([3, 4, 5]);
  });

  it('returns the newest kept messages, oldest first, with the latest offset', async () => {
    const r = nextRoom();
    expect(await history.latest(r, 5)).toEqual({ entries: [], offset: 0 });
    for (let n = 1; n <= 12; n++) await history.append(r, frame(n), keep);
    const three = await history.latest(r, 3);
    expect(three).toEqual({
      entries: [10, 11, 12].map(n => ({ offset: n, frame: withOffsetOf(n) })),
      offset: 12,
    });
    expect((await history.latest(r, 50)).entries.map(e => e.offset)).toEqual([
      3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    expect(await history.latest(r, 0)).toEqual({ entries: [], offset: 12 });
  });

  it('replays what came after `since`, in order', async () => {
    const r = nextRoom();
    for (let n = 1; n <= 4; n++) await history.append(r, frame(n), keep);
    expect(await history.since(r, 1)).toEqual({
      recovered: true,
      offset: 4,
      entries: [2, 3, 4].map(n => ({ offset: n, frame: withOffsetOf(n) })),
    });
    expect(await history.since(r, 0)).toMatchObject({ recovered: true, offset: 4 });
    expect(await history.since(r, 4)).toEqual({ recovered: true, entries: [], offset: 4 });
    expect(await history.since(nextRoom(), 0)).toEqual({ recovered: true, entries: [], offset: 0 });
  });

  it('keeps exactly `size` messages: a gap older than that is not recovered', async () => {
    const r = nextRoom();
    for (let n = 1; n <= 5; n++) await history.append(r, frame(n), { size: 3, ttlMs: 60_000 });
    expect(await client.xlen(`roomcast:history:history:{room:${r}}:stream`)).toBe(3);
    expect(await history.since(r, 1)).toEqual({ recovered: false, entries: [], offset: 5 });
    expect(await history.since(r, 2)).toMatchObject({ recovered: true, offset: 5 });
    expect((await history.since(r, 2)).entries.map(e => e.offset)).toEqual([3, 4, 5]);
  });

  it('expires ttlMs after the last message: not recovered, and offsets keep growing', async () => {
    const r = nextRoom();
    for (let n = 1; n <= 3; n++) await history.append(r, frame(n), { size: 10, ttlMs: 200 });
    const stream = `roomcast:history:history:{room:${r}}:stream`;
    await until('the stream to expire', async () => (await client.exists(stream)) === 0);
    expect(await history.since(r, 1)).toEqual({ recovered: false, entries: [], offset: 3 });
    expect((await history.append(r, frame(4), keep)).offset).toBe(4);
    expect(await history.since(r, 2)).toMatchObject({ recovered: false });
  });

  it('does not recover an offset newer than the history (Redis lost it)', async () => {
    const r = nextRoom();
    await history.append(r, frame(1), keep);
    expect(await history.since(r, 7)).toEqual({ recovered: false, entries: [], offset: 1 });
  });

  it('refuses misuse with a TypeError that says what to do', async () => {
    const r = nextRoom();
    await expect(history.append(r, 'not an object', keep)).rejects.toThrow(/JSON object/);
    await expect(history.append(r, frame(1), { size: 0, ttlMs: 1 })).rejects.toThrow(/size/);
    await expect(history.append(r, frame(1), { size: 1, ttlMs: 1.5 })).rejects.toThrow(/ttlMs/);
    await expect(history.since(r, -1)).rejects.toThrow(TypeError);
    expect(() => new RedisHistory({} as RedisHistoryOptions)).toThrow(/pass client/);
    expect(() => new RedisHistory({ client, offsetTtlMs: -1 })).toThrow(/offsetTtlMs/);
  });
});
