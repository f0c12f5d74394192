import { collector, until } from '@roomcast/test-support/helpers';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisBus } from './redis-bus';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

it('survives Redis being SIGKILLed and restarted: status, buffered publishes, restored subscriptions', async () => {
  // Quick retries so the test does not sit in ioredis's default backoff.
  const connection = { host: '127.0.0.1', port: redis.port, retryStrategy: () => 50 };
  const a = new RedisBus({ connection, maxPendingPublishes: 3 });
  const b = new RedisBus({ connection });
  try {
    const statuses: boolean[] = [];
    a.onStatusChange(connected => statuses.push(connected));
    await until('both buses to connect', () => a.connected && b.connected);
    const onA = collector();
    const onB = collector();
    await a.subscribe('room:r', onA.listener);
    await b.subscribe('room:r', onB.listener);
    await a.publish('room:r', 'before');
    await onB.wait(1);

    await redis.kill();
    await until('both buses to notice', () => !a.connected && !b.connected);
    for (let i = 1; i <= 5; i++) await a.publish('room:r', `while down ${i}`);
    expect(a.stats).toMatchObject({ pending: 3, dropped: 2 });

    await redis.restart();
    await until('a to reconnect', () => a.connected);
    // a flushes only after its own subscriptions are back, so it hears its buffered publishes.
    await onA.wait(4, 'the buffered publishes');
    expect(onA.payloads).toEqual(['before', 'while down 3', 'while down 4', 'while down 5']);
    expect(a.stats).toMatchObject({ pending: 0, dropped: 2, published: 4 });
    expect(statuses).toEqual([true, false, true]);

    await until('b to reconnect', () => b.connected);
    await a.publish('room:r', 'after');
    await b.publish('room:r', 'after from b');
    await until(
      'both to hear both',
      () => onA.payloads.length === 6 && onB.payloads.includes('after from b'),
    );
    expect(onB.payloads).toContain('after');
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
});
