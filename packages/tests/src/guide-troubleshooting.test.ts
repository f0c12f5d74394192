// Issue 16 point 2: the guide's Troubleshooting snippet ("Debug Redis pub/sub") runs as written:
// `channels: ['*']` means every channel. Two workers on one real Redis, so the events it prints
// come across the bus; a real `ws` client makes them happen.

import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { WebApplication } from 'roomcast';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { openClient, until } from './support/clients';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

it("prints every channel's events with subscriberHandlers: { handlers: [{ channels: ['*'] }] }", async () => {
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));

  // ### Messages Not Received Across Workers — "Debug Redis pub/sub", on the watching worker.
  const config = {
    webSocket: {
      subscriberHandlers: {
        handlers: [
          {
            channels: ['*'],
            handle: ({ channel, message }: { channel: string; message: unknown }) => {
              console.log('Redis event received:', channel, message);
            },
          },
        ],
      },
    },
  };
  const watching = new WebApplication({
    name: 'debug',
    webserver: { port: 0 },
    redis: { host: '127.0.0.1', port: redis.port },
    ...config,
    handleSignals: false,
  });
  const busy = new WebApplication({
    name: 'debug',
    webserver: { port: 0 },
    redis: { host: '127.0.0.1', port: redis.port },
    handleSignals: false,
  });
  try {
    await watching.start();
    await busy.start();
    const client = await openClient(`ws://127.0.0.1:${busy.webserver.port}/ws`);
    await client.request('system', 'joinRoom', { roomName: 'general' });
    busy.websocket.server.publish('messages', { type: 'note', action: 'new' });
    busy.websocket.server.sendCustomMessage({ data: { hello: 'world' } });
    await until('four events printed', () => printed.length >= 4);

    const channels = printed.map(([label, channel]) => `${String(label)} ${String(channel)}`);
    expect(channels).toEqual([
      'Redis event received: clientConnected',
      'Redis event received: clientJoinedRoom',
      'Redis event received: messages',
      'Redis event received: custom',
    ]);
    expect(printed[0]?.[2]).toMatchObject({ clientId: client.clientId });
    expect(printed[2]?.[2]).toEqual({ type: 'note', action: 'new' });
    await client.close();
  } finally {
    vi.restoreAllMocks();
    await Promise.all([watching.stop(), busy.stop()]);
  }
});
