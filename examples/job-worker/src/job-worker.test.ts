import { fileURLToPath } from 'node:url';
import { startProgram } from '@roomcast/test-support/program-process';
import { freePort, startRedis } from '@roomcast/test-support/redis-process';
import { createClient } from 'roomcast/client';
import { expect, it } from 'vitest';
import type { Pushes } from './pushes';

const program = (name: string) => fileURLToPath(new URL(`../dist/${name}.js`, import.meta.url));

it('a push from the worker process reaches a client of the app', async () => {
  const redis = await startRedis();
  const REDIS_URL = `redis://127.0.0.1:${redis.port}`;
  const port = await freePort();
  const server = startProgram(program('server'), { PORT: String(port), REDIS_URL });
  const client = createClient<never, Pushes>({ url: `ws://127.0.0.1:${port}/ws`, reconnect: false });
  try {
    await server.waitFor('listening on');
    await client.connect();
    await client.joinRoom('reports:7');
    const ready = new Promise(resolve => client.on('report', 'ready', data => resolve(data)));

    const worker = startProgram(program('worker'), { REDIS_URL, REPORT_ID: '7' });
    expect(await worker.exited).toBe(0);
    expect(await ready).toEqual({ reportId: 7, url: '/reports/7.pdf' });
  } finally {
    client.close();
    await server.stop();
    await redis.stop();
  }
});
