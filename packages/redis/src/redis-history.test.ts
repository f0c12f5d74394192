import { BusChannel, type DurableMessage, durableHead, withOffset } from '@roomcast/protocol';
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

  it('says to pass an options object when given none at all', () => {
    for (const options of [undefined, null]) {
      expect(() => new RedisHistory(options as never)).toThrow(
        new TypeError('RedisHistory: pass an options object: { client } or { connection }.'),
      );
    }
  });

  it('refuses each malformed message with the TypeError of its field, storing nothing', async () => {
    const history = new RedisHistory({ client, appName: 'malformed' });
    const good = message('r', 'm1');
    const idError = new TypeError('RedisHistory.append: message.id must be a string of 1-128 characters.');
    const frameError = new TypeError(
      'RedisHistory.append: message.frame must be a serialized JSON object (the offset is added to it).',
    );
    const publishError = new TypeError(
      'RedisHistory.append: message.publish must be { channel, head } (see durableHead).',
    );
    const cases: [Record<string, unknown>, TypeError][] = [
      [{ id: 7 }, idError],
      [{ id: undefined }, idError],
      [{ id: 'x'.repeat(129) }, idError],
      [{ frame: 42 }, frameError],
      [{ frame: '{"type":"chat"' }, frameError],
      [{ frame: '"chat"}' }, frameError],
      [{ publish: undefined }, publishError],
      [{ publish: { channel: 5, head: good.publish.head } }, publishError],
      [{ publish: { channel: good.publish.channel, head: 5 } }, publishError],
    ];
    for (const [change, error] of cases) {
      await expect(history.append('r', { ...good, ...change } as DurableMessage, keep)).rejects.toThrow(
        error,
      );
    }
    expect(await history.latest('r', 10)).toMatchObject({ offset: 0, entries: [] });
    // The longest id it takes.
    await expect(history.append('r', message('r', 'x'.repeat(128)), keep)).resolves.toMatchObject({
      offset: 1,
      duplicate: false,
    });
    await history.close();
  });

  it('names the bad argument of append, since and latest, with its unit', async () => {
    const history = new RedisHistory({ client, appName: 'arguments' });
    const good = message('r', 'm1');
    await expect(history.append('r', good, undefined as never)).rejects.toThrow(
      new TypeError(
        'RedisHistory.append: options.size must be a positive whole number of messages; got undefined.',
      ),
    );
    await expect(history.append('r', good, { size: 0, ttlMs: 1000 })).rejects.toThrow(
      new TypeError('RedisHistory.append: options.size must be a positive whole number of messages; got 0.'),
    );
    await expect(history.append('r', good, { size: 1, ttlMs: 1.5 })).rejects.toThrow(
      new TypeError(
        'RedisHistory.append: options.ttlMs must be a positive whole number of milliseconds; got 1.5.',
      ),
    );
    await expect(history.since('r', -1)).rejects.toThrow(
      new TypeError('RedisHistory.since: since must be an offset (a whole number >= 0); got -1.'),
    );
    await expect(history.latest('r', 2.5)).rejects.toThrow(
      new TypeError('RedisHistory.latest: count must be a whole number >= 0; got 2.5.'),
    );
    await history.close();
  });

  it('since: recovers only a position of its own epoch, or offset 0 without one', async () => {
    const history = new RedisHistory({ client, appName: 'since-epochs' });
    // A room never used: offset 0 is recovered without an epoch, not with another run's.
    const fresh = await history.since('fresh', 0, 'another-run');
    expect(fresh).toMatchObject({ offset: 0, recovered: false, entries: [] });
    expect(fresh.epoch).not.toBe('another-run');
    expect(await history.since('fresh', 0)).toEqual({ ...fresh, recovered: true });
    // Up to date at offset 2: recovered with its epoch; without it, or with another, not.
    await history.append('r', message('r', 'm1'), keep);
    const { epoch } = await history.append('r', message('r', 'm2'), keep);
    const upToDate = { offset: 2, epoch, entries: [] };
    expect(await history.since('r', 2, epoch)).toEqual({ ...upToDate, recovered: true });
    expect(await history.since('r', 2)).toEqual({ ...upToDate, recovered: false });
    expect(await history.since('r', 2, 'another-run')).toEqual({ ...upToDate, recovered: false });
    await history.close();
  });

  it('reads past stream entries it did not write: no id, or an offset beyond safe integers', async () => {
    const history = new RedisHistory({ client, appName: 'foreign' });
    await history.append('r', message('r', 'm1'), keep);
    await history.append('r', message('r', 'm2'), keep);
    const stream = 'roomcast:foreign:history:{roomcast:foreign:room:r}:stream';
    const frame = message('r', 'plain').frame;
    await client.xadd(stream, '0-3', 'f', frame);
    await client.xadd(stream, '0-9007199254740993', 'f', frame, 'i', 'far');
    const { offset, entries } = await history.latest('r', 10);
    expect(offset).toBe(2);
    expect(entries).toEqual([
      { offset: 1, id: 'm1', frame: withOffset(message('r', 'm1').frame, 1) },
      { offset: 2, id: 'm2', frame: withOffset(message('r', 'm2').frame, 2) },
      { offset: 3, id: '', frame: withOffset(frame, 3) },
    ]);
    await history.close();
  });

  it('since: as many entries as missed is no recovery when the first one after `since` is gone', async () => {
    const history = new RedisHistory({ client, appName: 'gap' });
    for (const id of ['m1', 'm2']) await history.append('r', message('r', id), keep);
    const { epoch } = await history.append('r', message('r', 'm3'), keep);
    const stream = 'roomcast:gap:history:{roomcast:gap:room:r}:stream';
    // Offset 1 deleted, an entry past the position added: still three entries after 0.
    await client.xdel(stream, '0-1');
    await client.xadd(stream, '0-4', 'f', message('r', 'm4').frame, 'i', 'm4');
    expect(await history.since('r', 0, epoch)).toEqual({ offset: 3, epoch, recovered: false, entries: [] });
    await history.close();
  });

  it('quits the client it opened on close (twice is fine), and refuses calls after', async () => {
    const named = async () =>
      String(await client.client('LIST'))
        .split('\n')
        .filter(line => line.includes(' name=owned-history ')).length;
    const history = new RedisHistory({
      connection: { host: '127.0.0.1', port: redis.port, connectionName: 'owned-history' },
      appName: 'owned',
    });
    await history.latest('r', 1);
    expect(await named()).toBe(1);
    await history.close();
    await history.close();
    await until('the owned client to quit', async () => (await named()) === 0);
    await expect(history.latest('r', 1)).rejects.toThrow(new Error('RedisHistory: the history is closed.'));
  });
});
