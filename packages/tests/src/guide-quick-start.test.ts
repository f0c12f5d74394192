// The guide's Quick Start, Sending Messages, Using WebSocket Service, Performance Monitoring and
// Graceful Shutdown snippets, run as written against the `roomcast` umbrella and a real Redis. Only
// the imports differ, and the ports: 3000 and 6379 belong to the machine, so the test picks its own.

import { freePort, type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { WebApplication, WebSocketService } from 'roomcast';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { until } from './support/clients';

let redis: RedisProcess;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

it('runs the Quick Start, Sending Messages, WebSocket Service and shutdown snippets', async () => {
  const printed: unknown[][] = [];
  vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void printed.push(args));
  const port = await freePort();
  const received = () =>
    printed
      .filter(([label]) => label === 'Received:')
      .map(([, message]) => message as Record<string, unknown>);

  // ### Basic WebSocket Server
  const app = new WebApplication({
    name: 'my-app',
    webserver: { port },
    websocket: {
      enabled: true,
      type: 'server',
      url: `ws://localhost:${port}/ws`,
    },
    redis: { host: '127.0.0.1', port: redis.port },
  });

  await app.start();
  console.log('WebSocket server running at ws://localhost:3000/ws');

  // ### Basic WebSocket Client
  const ws = new WebSocket(`ws://localhost:${port}/ws`);

  ws.on('open', () => {
    console.log('Connected to WebSocket server');
    ws.send(
      JSON.stringify({
        type: 'chat',
        action: 'message',
        data: { text: 'Hello!' },
      }),
    );
  });

  ws.on('message', data => {
    const message = JSON.parse(data.toString());
    console.log('Received:', message);
  });

  // No route handles chat.message in the Quick Start: the client is told so, and stays connected.
  await until('the reply to chat.message', () => received().some(m => m.action === 'message'));
  const [connected, reply] = received();
  const someClientId = (connected?.data as { clientId: string } | undefined)?.clientId ?? '';
  expect(connected).toMatchObject({ type: 'system', action: 'connected' });
  expect(reply).toMatchObject({ type: 'chat', action: 'message', error: { code: 'UNKNOWN_ROUTE' } });

  // ### Sending Messages
  // Broadcast to all clients
  app.websocket.server.sendMessageToAll({
    data: {
      type: 'notification',
      action: 'alert',
      data: { message: 'Server maintenance in 5 minutes' },
    },
  });

  // Send to specific client
  const client = app.websocket.server.clientManager.getClient({
    clientId: someClientId,
  });
  if (client?.ws) {
    app.websocket.server.sendClientMessage(client.ws, {
      type: 'private',
      action: 'message',
      data: { text: 'Hello!' },
    });
  }
  await until('the private message', () => received().some(m => m.type === 'private'));
  expect(received().find(m => m.type === 'notification')).toMatchObject({
    action: 'alert',
    data: { message: 'Server maintenance in 5 minutes' },
  });

  // ### Using WebSocket Service
  const wsService = new WebSocketService({
    webSocketServer: app.websocket.server,
    redisInstance: app.redis.instance,
    workerId: String(process.pid),
  });

  // Broadcast to all clients
  await wsService.broadcast({
    type: 'notification',
    action: 'update',
    data: { message: 'New features available!' },
  });
  await until('the service broadcast', () => received().some(m => m.action === 'update'));

  // ### Performance Monitoring
  expect(app.performance.getWebSocketHealth()).toMatchObject({ status: 'healthy', activeConnections: 1 });

  // ### Graceful Shutdown
  const closed = new Promise<number>(resolve => ws.once('close', code => resolve(code)));
  await app.stop();
  expect(await closed).toBe(1001);
  expect(printed[0]).toEqual(['WebSocket server running at ws://localhost:3000/ws']);
  expect(printed).toContainEqual(['Connected to WebSocket server']);
});
