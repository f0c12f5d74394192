// Issue 17 point 6: a WebApplication whose start() fails (its port is taken) after it connected
// to Redis leaves nothing open, checked from Redis's own side (CLIENT LIST) with a real server.
import { createServer } from 'node:net';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import { WebApplication } from 'roomcast';
import { afterEach, beforeEach, expect, it } from 'vitest';

let redis: RedisProcess;
beforeEach(async () => {
  redis = await startRedis();
});
afterEach(async () => {
  await redis?.stop();
});

it('a start that fails on a port in use closes the Redis connections it opened', async () => {
  const blocker = createServer();
  await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
  const { port } = blocker.address() as { port: number };
  const observer = new Redis(redis.port, redis.host);
  const clients = async () => ((await observer.client('LIST')) as string).trim().split('\n').length;
  try {
    expect(await clients()).toBe(1); // the observer itself
    const app = new WebApplication({
      name: 'failed-start',
      webserver: { port },
      redis: { host: redis.host, port: redis.port },
      handleSignals: false,
      logger: false,
    });
    await expect(app.start()).rejects.toThrow(`Port ${port} is in use`);
    // Redis frees a client that sent QUIT once it has answered: poll, a leaked one never goes.
    await expect.poll(clients).toBe(1);
    await app.stop();
  } finally {
    observer.disconnect();
    await new Promise(resolve => blocker.close(resolve));
  }
});
