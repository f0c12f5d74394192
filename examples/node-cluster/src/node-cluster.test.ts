import { fileURLToPath } from 'node:url';
import { startProgram } from '@roomcast/test-support/program-process';
import { freePort, startRedis } from '@roomcast/test-support/redis-process';
import { createClient, type RoomcastClient } from 'roomcast/client';
import { expect, it } from 'vitest';

const SERVER = fileURLToPath(new URL('../dist/server.js', import.meta.url));

it('two workers share a room through Redis', async () => {
  const redis = await startRedis();
  const port = await freePort();
  const server = startProgram(SERVER, { PORT: String(port), REDIS_URL: `redis://127.0.0.1:${redis.port}` });
  const clients: RoomcastClient[] = [];
  try {
    await server.waitFor('listening on');
    // The primary hands connections to the workers in turn: connect until two workers are reached.
    for (let attempt = 0; attempt < 10 && new Set(clients.map(c => c.nodeId)).size < 2; attempt++) {
      const client = createClient({ url: `ws://127.0.0.1:${port}/ws`, reconnect: false });
      clients.push(client);
      await client.connect();
    }
    const nodes = new Map(clients.map(client => [client.nodeId, client]));
    expect(nodes.size).toBe(2);
    const [sender, receiver] = [...nodes.values()] as [RoomcastClient, RoomcastClient];
    await receiver.joinRoom('chat:general');
    const received = new Promise(resolve => receiver.on('chat', 'message', data => resolve(data)));
    await sender.request('chat', 'send', { text: 'across workers' });
    expect(await received).toMatchObject({ text: 'across workers' });
  } finally {
    for (const client of clients) client.close();
    await server.stop();
    await redis.stop();
  }
  // The primary stopped its workers, then ended by the SIGTERM it was sent (the app re-raises it).
  expect(await server.exited).toBe('SIGTERM');
});
