import { BusChannel } from '@roomcast/protocol';
import { capturingLogger, collector, until } from '@roomcast/test-support/helpers';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisBus } from './redis-bus';
import type { RedisBusOptions } from './redis-bus-options';

let redis: RedisProcess;
let raw: Redis;
const opened: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  raw = new Redis(redis.port, '127.0.0.1');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map(item => item.close()));
});
afterAll(async () => {
  raw.disconnect();
  await redis.stop();
});

async function node(options: Partial<RedisBusOptions> = {}): Promise<RedisBus> {
  const bus = new RedisBus({ connection: { host: '127.0.0.1', port: redis.port }, ...options });
  opened.push(bus);
  await until('the bus to connect', () => bus.connected);
  return bus;
}

/**
 * Redis pushes messages to a subscriber in the order it ran the PUBLISHes, and an awaited publish
 * has run: once a marker published after it arrives, its message would have arrived too. That
 * proves "nothing came" without sleeping.
 */
async function settle(to: RedisBus): Promise<void> {
  const marker = collector();
  await to.subscribe('marker', marker.listener);
  await to.publish('marker', 'm');
  await marker.wait(1, 'the marker');
  await to.unsubscribe('marker', marker.listener);
}

describe('RedisBus on one Redis', () => {
  it('carries messages between two nodes in both directions, itself included', async () => {
    const a = await node();
    const b = await node();
    const onA = collector();
    const onB = collector();
    await a.subscribe(BusChannel.room('x'), onA.listener);
    await b.subscribe(BusChannel.room('x'), onB.listener);

    await a.publish(BusChannel.room('x'), 'from a');
    await b.publish(BusChannel.room('x'), 'from b');
    await onA.wait(2);
    await onB.wait(2);

    expect(onA.payloads.sort()).toEqual(['from a', 'from b']);
    expect(onB.payloads.sort()).toEqual(['from a', 'from b']);
    expect(onA.channels).toEqual(['room:x', 'room:x']);
    expect(a.stats.published).toBe(1);
    expect(await raw.pubsub('NUMSUB', 'roomcast:default:room:x')).toEqual(['roomcast:default:room:x', 2]);
  });

  it('subscribes on the first listener, unsubscribes on the last: a node without one gets no traffic', async () => {
    const a = await node();
    const b = await node();
    const first = collector();
    const second = collector();
    await a.subscribe('room:x', first.listener);
    await a.subscribe('room:x', second.listener);
    expect(await raw.pubsub('NUMSUB', 'roomcast:default:room:x')).toEqual(['roomcast:default:room:x', 1]);

    await b.publish('room:x', 'one');
    await first.wait(1);
    await second.wait(1);
    await settle(b);
    expect(b.stats.receivedByChannel.get('room:x')).toBeUndefined();

    await a.unsubscribe('room:x', first.listener);
    await b.publish('room:x', 'two');
    await second.wait(2);
    expect(first.payloads).toEqual(['one']);

    await a.unsubscribe('room:x', second.listener);
    expect(await raw.pubsub('NUMSUB', 'roomcast:default:room:x')).toEqual(['roomcast:default:room:x', 0]);
    await b.publish('room:x', 'three');
    await settle(a);
    expect(a.stats.receivedByChannel.get('room:x')).toBe(2);
    expect(second.payloads).toEqual(['one', 'two']);
  });

  it('keeps apps with different prefixes apart on one Redis', async () => {
    const chat = await node({ appName: 'chat' });
    const shop = await node({ appName: 'shop' });
    const custom = await node({ prefix: 'staging:chat:' });
    const onChat = collector();
    const onShop = collector();
    const onCustom = collector();
    await chat.subscribe('broadcast', onChat.listener);
    await shop.subscribe('broadcast', onShop.listener);
    await custom.subscribe('broadcast', onCustom.listener);

    await chat.publish('broadcast', 'chat only');
    await onChat.wait(1);
    await settle(shop);
    await shop.publish('broadcast', 'shop only');
    await onShop.wait(1);
    await settle(custom);

    expect(onChat.payloads).toEqual(['chat only']);
    expect(onShop.payloads).toEqual(['shop only']);
    expect(onCustom.payloads).toEqual([]);
    expect(await raw.pubsub('CHANNELS', 'staging:chat:*')).toEqual(['staging:chat:broadcast']);
  });

  it('passes any payload through untouched, malformed ones included', async () => {
    const a = await node();
    const got = collector();
    await a.subscribe('events', got.listener);
    const payloads = ['', 'not json', '{"header":', '\n\nbody', 'héllo ✓ 🚀', 'x'.repeat(100_000)];
    for (const payload of payloads) await a.publish('events', payload);
    // Another app writing garbage straight to our channel.
    await raw.publish('roomcast:default:events', '\u0000\u0001garbage');
    await got.wait(payloads.length + 1);
    expect(got.payloads).toEqual([...payloads, '\u0000\u0001garbage']);
  });

  it('logs a listener that throws or rejects, and the others still get the message', async () => {
    const logger = capturingLogger();
    const a = await node({ logger });
    const after = collector();
    await a.subscribe('events', () => {
      throw new Error('listener bug');
    });
    await a.subscribe('events', async () => {
      throw new Error('async listener bug');
    });
    await a.subscribe('events', after.listener);
    await a.publish('events', 'payload');
    await after.wait(1);
    await until('both errors logged', () => logger.entries.filter(e => e.level === 'error').length === 2);
    expect(after.payloads).toEqual(['payload']);
  });

  it('uses the caller’s clients and leaves them open on close', async () => {
    const publisher = new Redis(redis.port, '127.0.0.1');
    const subscriber = publisher.duplicate();
    const bus = new RedisBus({ publisher, subscriber, appName: 'own' });
    await until('the bus to connect', () => bus.connected);
    const got = collector();
    await bus.subscribe('broadcast', got.listener);
    await bus.publish('broadcast', 'hi');
    await got.wait(1);

    await bus.close();
    expect(publisher.status).toBe('ready');
    expect(subscriber.status).toBe('ready');
    expect(await raw.pubsub('NUMSUB', 'roomcast:own:broadcast')).toEqual(['roomcast:own:broadcast', 0]);
    await expect(bus.publish('broadcast', 'late')).rejects.toThrow(/closed/);
    publisher.disconnect();
    subscriber.disconnect();
  });

  it('refuses misused options with a TypeError that says what to do', () => {
    const client = new Redis({ lazyConnect: true });
    const connection = { host: '127.0.0.1', port: redis.port };
    const cases: [unknown, RegExp][] = [
      [undefined, /options object/],
      [{}, /publisher and subscriber.*or \{ connection \}/],
      [{ publisher: client }, /both publisher and subscriber/],
      [{ publisher: client, subscriber: client }, /duplicate\(\)/],
      [{ publisher: client, subscriber: {} }, /ioredis Redis or Cluster/],
      [{ connection, publisher: client }, /not both/],
      [{ connection, maxPendingPublishes: -1 }, /maxPendingPublishes/],
      [{ connection, prefix: 'app:{x}:' }, /must not contain/],
      [{ connection, appName: '' }, /appName/],
      [{ connection: 'redis://x' }, /connection must be/],
    ];
    for (const [options, message] of cases) {
      expect(() => new RedisBus(options as RedisBusOptions)).toThrow(TypeError);
      expect(() => new RedisBus(options as RedisBusOptions)).toThrow(message);
    }
    client.disconnect();
  });
});
