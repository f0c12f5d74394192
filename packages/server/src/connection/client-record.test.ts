import { useTestServers } from '@roomcast/test-support/test-servers';
import { expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

it('keeps the app’s metadata apart from the server’s state on the client record', async () => {
  const { server, connect } = await start();
  const a = await connect();
  await a.request('system', 'joinRoom', { roomName: 'lobby', username: 'ann' });
  const { clientManager } = server;
  clientManager.updateClient({ clientId: a.clientId, key: 'preferences', data: { theme: 'dark' } });
  const client = clientManager.getClient({ clientId: a.clientId })!;
  // The guide's fields read as before; the metadata reads as client[key].
  expect(client).toMatchObject({ clientId: a.clientId, username: 'ann', ip: '127.0.0.1', user: undefined });
  expect(client.preferences).toEqual({ theme: 'dark' });
  expect([...client.rooms]).toEqual(['lobby']);
  // The record's own keys are the metadata, and nothing of the server's (limiter, timers, rooms).
  expect(Object.keys(client)).toEqual(['preferences']);
  expect(JSON.parse(JSON.stringify({ ...client }))).toEqual({ preferences: { theme: 'dark' } });
  // The server's fields are not metadata: neither updateClient nor an assignment changes them.
  for (const key of ['user', 'rooms', 'ws', 'limiter', 'lastPong', '__proto__']) {
    expect(() => clientManager.updateClient({ clientId: a.clientId, key, data: 'x' })).toThrow(
      `updateClient cannot change "${key}"`,
    );
  }
  expect(() => {
    (client as { user: unknown }).user = { userId: 'mallory' };
  }).toThrow(TypeError);
  expect(client.user).toBeUndefined();
});

it('gives a broadcast predicate the metadata and the token’s claims as userData, not the server’s state', async () => {
  const { server, connect } = await start();
  const a = await connect();
  server.clientManager.updateClient({ clientId: a.clientId, key: 'subscription', data: 'premium' });
  const seen: Record<string, unknown>[] = [];
  server.broadcastToAllClients({
    data: { type: 'x', action: 'y' },
    predicate: ({ userData }) => {
      seen.push(userData);
      return true;
    },
  });
  await a.next(f => f.type === 'x');
  expect(seen).toEqual([{ subscription: 'premium' }]);
});
