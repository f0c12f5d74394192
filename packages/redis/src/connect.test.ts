import { setTimeout as sleep } from 'node:timers/promises';
import { collector, until } from '@roomcast/test-support/helpers';
import { freePort, type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from './connect';
import { RedisBus } from './redis-bus';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis.stop();
});

/** Sockets and timers the process holds: an unreachable Redis must not leave any behind. */
function handles(): number {
  return process.getActiveResourcesInfo().filter(kind => kind === 'TCPSocketWrap' || kind === 'Timeout')
    .length;
}

describe('connectRedis', () => {
  it('resolves with two ready clients that a bus can use, and closes them', async () => {
    // Generous timeouts: a loaded CI machine, not Redis, is the slow part here.
    const connections = await connectRedis({ host: '127.0.0.1', port: redis.port }, { timeoutMs: 30_000 });
    expect(connections.publisherClient.status).toBe('ready');
    expect(connections.subscriberClient.status).toBe('ready');
    const bus = new RedisBus({
      publisher: connections.publisherClient,
      subscriber: connections.subscriberClient,
    });
    await until('the bus to connect', () => bus.connected);
    const got = collector();
    await bus.subscribe('broadcast', got.listener);
    await bus.publish('broadcast', 'hello');
    await got.wait(1);
    await bus.close();
    await connections.close();
    expect(connections.publisherClient.status).toBe('end');
    expect(connections.subscriberClient.status).toBe('end');
  });

  it('accepts a url', async () => {
    const connections = await connectRedis(
      { url: `redis://127.0.0.1:${redis.port}/0` },
      { timeoutMs: 30_000 },
    );
    expect(await connections.publisherClient.ping()).toBe('PONG');
    await connections.close();
  });

  it('rejects within the timeout naming host:port when nothing listens, leaving nothing behind', async () => {
    const port = await freePort();
    const before = handles();
    await expect(connectRedis({ host: '127.0.0.1', port }, { timeoutMs: 300 })).rejects.toThrow(
      new RegExp(`^Redis unreachable at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    await expect(connectRedis({ url: `redis://127.0.0.1:${port}` }, { timeoutMs: 200 })).rejects.toThrow(
      `Redis unreachable at 127.0.0.1:${port}: `,
    );
    await until('sockets and timers to go', async () => {
      await sleep(10);
      return handles() <= before;
    });
  });

  it('fails at once when Redis refuses the password', async () => {
    const locked = await startRedis({ args: ['--requirepass', 'secret'] });
    try {
      const config = { host: '127.0.0.1', port: locked.port, password: 'wrong' };
      await expect(connectRedis(config, { timeoutMs: 60_000 })).rejects.toThrow(
        new RegExp(`^Redis unreachable at 127\\.0\\.0\\.1:${locked.port}: WRONGPASS`),
      );
      const ok = await connectRedis({ ...config, password: 'secret' }, { timeoutMs: 30_000 });
      await ok.close();
    } finally {
      await locked.stop();
    }
  });

  it('refuses a bad timeout or config with a TypeError', async () => {
    await expect(connectRedis({ host: '127.0.0.1', port: redis.port }, { timeoutMs: 0 })).rejects.toThrow(
      TypeError,
    );
    await expect(connectRedis({ cluster: [] })).rejects.toThrow(/connection.cluster/);
  });
});
