import { BusChannel, type DurableMessage, durableHead } from '@roomcast/protocol';
import { until } from '@roomcast/test-support/helpers';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisHistory, type RedisHistoryOptions } from './redis-history';

// The History contract (offsets, epochs, since/latest, TTL, size, idempotency, the atomic publish)
// is checked by @roomcast/contract-tests on one server and on a Cluster; these are RedisHistory's
// own keys and options.
let redis: RedisProcess;
let client: Redis;
const keep = { size: 10, ttlMs: 60_000 };

beforeAll(async () => {
  redis = await startRedis();
  client = new Redis(redis.port, '127.0.0.1');
});
afterAll(async () => {
  client.disconnect();
  await redis.stop();
});

function message(room: string, id: string): DurableMessage {
  const frame = JSON.stringify({ type: 'chat', action: 'message', room, data: id });
  return {
    id,
    frame,
    publish: { channel: BusChannel.room(room), head: durableHead({ origin: 'n1', room, id }) },
  };
}

describe('RedisHistory', () => {
  it('keeps a room in a stream, a meta hash and id keys under the room channel’s hash tag', async () => {
    const history = new RedisHistory({ client, appName: 'layout', idempotencyTtlMs: 30_000 });
    for (let n = 1; n <= 5; n++) await history.append('r', message('r', `m${n}`), { size: 3, ttlMs: 60_000 });
    const base = 'roomcast:layout:history:{roomcast:layout:room:r}:';
    const stream = (await client.xrange(`${base}stream`, '-', '+')) as [string, string[]][];
    expect(stream.map(([id]) => id)).toEqual(['0-3', '0-4', '0-5']);
    expect(stream[0]?.[1]).toEqual(['f', message('r', 'm3').frame, 'i', 'm3']);
    const meta = await client.hgetall(`${base}meta`);
    expect(meta.offset).toBe('5');
    expect(await client.get(`${base}id:m1`)).toBe(`1:${meta.epoch}`);
    const idTtl = await client.pttl(`${base}id:m1`);
    expect(idTtl).toBeGreaterThan(0);
    expect(idTtl).toBeLessThanOrEqual(30_000);
    expect(await client.pttl(`${base}stream`)).toBeLessThanOrEqual(60_000);
    // The position outlives the messages (offsetTtlMs, 7 days by default).
    expect(await client.pttl(`${base}meta`)).toBeGreaterThan(60_000);
    await history.close();
  });

  it('publishes on busPrefix + channel and tags the keys with that channel', async () => {
    const history = new RedisHistory({ client, appName: 'own', busPrefix: 'bus:' });
    const subscriber = client.duplicate();
    const got: [string, string][] = [];
    subscriber.on('message', (channel: string, payload: string) => got.push([channel, payload]));
    await subscriber.subscribe('bus:room:r');
    const { offset, epoch } = await history.append('r', message('r', 'm1'), keep);
    await until('the publish', () => got.length === 1);
    expect(got[0]?.[0]).toBe('bus:room:r');
    expect(got[0]?.[1]).toContain(`"offset":${offset},"epoch":"${epoch}"}`);
    expect(await client.exists('roomcast:own:history:{bus:room:r}:stream')).toBe(1);
    subscriber.disconnect();
    await history.close();
  });

  it('refuses misuse with a TypeError that says what to do', async () => {
    const history = new RedisHistory({ client, appName: 'misuse' });
    const good = message('r', 'm1');
    await expect(history.append('r', { ...good, frame: 'not an object' }, keep)).rejects.toThrow(
      /JSON object/,
    );
    await expect(history.append('r', { ...good, id: '' }, keep)).rejects.toThrow(/message.id/);
    await expect(
      history.append('r', { ...good, publish: { channel: 'room:r', head: 'x' } }, keep),
    ).rejects.toThrow(/durableHead/);
    await expect(history.append('r', good, { size: 0, ttlMs: 1 })).rejects.toThrow(/size/);
    await expect(history.append('r', good, { size: 1, ttlMs: 1.5 })).rejects.toThrow(/ttlMs/);
    await expect(history.append('', good, keep)).rejects.toThrow(TypeError);
    await expect(history.since('r', -1)).rejects.toThrow(TypeError);
    await expect(history.latest('r', -1)).rejects.toThrow(TypeError);
    expect(() => new RedisHistory({} as RedisHistoryOptions)).toThrow(/pass client/);
    expect(() => new RedisHistory({ client, offsetTtlMs: -1 })).toThrow(/offsetTtlMs/);
    expect(() => new RedisHistory({ client, idempotencyTtlMs: 0 })).toThrow(/idempotencyTtlMs/);
    expect(() => new RedisHistory({ client, busPrefix: 'a{b' })).toThrow(/must not contain/);
    await history.close();
    await expect(history.since('r', 0)).rejects.toThrow(/closed/);
  });
});
