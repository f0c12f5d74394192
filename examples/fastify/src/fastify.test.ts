import { fileURLToPath } from 'node:url';
import { startProgram } from '@roomcast/test-support/program-process';
import { freePort } from '@roomcast/test-support/redis-process';
import { createClient } from 'roomcast/client';
import { expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));

it("serves fastify routes, the app's /healthz and WebSockets on one port", async () => {
  const port = await freePort();
  const server = startProgram(SERVER, { PORT: String(port) });
  try {
    await server.waitFor('listening on');
    const base = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${base}/hello`)).json()).toEqual({ hello: 'from fastify' });
    expect(await (await fetch(`${base}/healthz`)).json()).toMatchObject({ status: 'healthy' });

    const client = createClient({ url: `ws://127.0.0.1:${port}/ws`, reconnect: false });
    await client.connect();
    expect(await client.request('greeting', 'hello', { name: 'Ada' })).toEqual({ greeting: 'Hello, Ada' });
    client.close();
  } finally {
    await server.stop();
  }
  // SIGTERM stopped the app and closed the server: the process exited by itself.
  expect(await server.exited).toBe(0);
});
