import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CloseCode, ErrorCode, RoomcastError } from '@roomcast/protocol';
import { countWrites } from '@roomcast/test-support/socket-writes';
import { TestClient, upgradeStatus } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { WebSocketService } from './delivery/websocket-service';
import type { WebSocketServerOptions } from './options';
import { WebSocketServer } from './server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

let markers = 0;
/** Resolves when every frame sent before it has arrived (one socket keeps order). */
async function sync(server: WebSocketServer, all: TestClient[]) {
  const n = ++markers;
  server.broadcastToAllClients({ data: { type: 'test', action: 'marker', data: n } });
  await Promise.all(all.map(c => c.next(f => f.type === 'test' && f.data === n)));
}
/** Waits for everything in flight, then forgets it. */
async function reset(server: WebSocketServer, all: TestClient[]) {
  await sync(server, all);
  for (const c of all) c.frames.length = 0;
}

describe('connections and routing', () => {
  it('sends system.connected with the clientId and nodeId first', async () => {
    const { server, connect } = await start({ nodeId: 'node-a' });
    const client = await connect();
    expect(client.frames[0]).toEqual({
      type: 'system',
      action: 'connected',
      data: { clientId: client.clientId, nodeId: 'node-a' },
    });
    expect(server.clientManager.getClient({ clientId: client.clientId })?.clientId).toBe(client.clientId);
  });

  it('replies with the handler return value and echoes the id', async () => {
    const { connect } = await start({
      routes: [
        { type: 'chat', action: 'send', handler: (_ws, clientId, data) => ({ echo: data, clientId }) },
      ],
    });
    const client = await connect();
    const reply = await client.request('chat', 'send', { text: 'hi' });
    expect(reply).toEqual({
      type: 'chat',
      action: 'send',
      id: 'r1',
      response: { echo: { text: 'hi' }, clientId: client.clientId },
    });
  });

  it('answers each bad frame with the right code and keeps the connection', async () => {
    const { connect } = await start({ routes: [{ type: 'a', action: 'b', handler: () => 'ok' }] });
    const client = await connect();
    client.send('not json');
    expect((await client.next(f => f.type === 'error')).error).toMatchObject({ code: 'INVALID_MESSAGE' });
    client.send({ type: 'x', action: 'y', id: 5 });
    expect(await client.next(f => f.id === 5)).toMatchObject({
      type: 'x',
      action: 'y',
      error: { code: 'UNKNOWN_ROUTE' },
    });
    client.ws.send(Buffer.from(JSON.stringify({ type: 'a', action: 'b', id: 6 })), { binary: true });
    // Refused, but its id is echoed so the request settles.
    expect(await client.next(f => f.id === 6)).toMatchObject({
      type: 'a',
      action: 'b',
      error: { code: 'INVALID_MESSAGE' },
    });
    expect(await client.request('a', 'b')).toMatchObject({ response: 'ok' });
  });

  it('hides handler errors behind INTERNAL_ERROR and other clients carry on', async () => {
    const errors: Error[] = [];
    const { connect } = await start({
      routes: [
        {
          type: 'x',
          action: 'boom',
          handler: () => {
            throw new Error('db password=secret');
          },
        },
        { type: 'x', action: 'ok', handler: () => 1 },
      ],
      events: { onError: ({ error }) => errors.push(error) },
    });
    const a = await connect();
    const b = await connect();
    const reply = await a.request('x', 'boom');
    expect(reply).toEqual({
      type: 'x',
      action: 'boom',
      id: 'r1',
      error: { code: 'INTERNAL_ERROR', message: 'Internal error' },
    });
    expect(JSON.stringify(reply)).not.toContain('secret');
    expect(errors[0]?.message).toContain('secret');
    expect(await b.request('x', 'ok')).toMatchObject({ response: 1 });
    expect(await a.request('x', 'ok')).toMatchObject({ response: 1 });
  });

  it('answers a RoomcastError with its code, and closes with its closeCode when it has one', async () => {
    const { connect } = await start({
      routes: [
        {
          type: 'x',
          action: 'refuse',
          handler: () => {
            throw new RoomcastError(ErrorCode.FORBIDDEN, 'not yours');
          },
        },
        {
          type: 'x',
          action: 'ban',
          handler: () => {
            throw new RoomcastError(ErrorCode.FORBIDDEN, 'banned', { closeCode: CloseCode.FORBIDDEN });
          },
        },
      ],
    });
    const a = await connect();
    expect((await a.request('x', 'refuse')).error).toEqual({ code: 'FORBIDDEN', message: 'not yours' });
    expect((await a.request('x', 'ban')).error).toEqual({ code: 'FORBIDDEN', message: 'banned' });
    expect(await a.closed).toEqual({ code: CloseCode.FORBIDDEN, reason: 'banned' });
  });

  it('validates data with a Standard Schema before the handler runs', async () => {
    let ran = 0;
    const { connect } = await start({
      routes: [
        { type: 'chat', action: 'send', schema: z.object({ text: z.string().min(1) }), handler: () => ++ran },
      ],
    });
    const client = await connect();
    const refused = await client.request('chat', 'send', { text: 42 });
    expect(refused).toMatchObject({ error: { code: 'INVALID_MESSAGE', issues: [{ path: ['text'] }] } });
    expect(ran).toBe(0);
    expect(await client.request('chat', 'send', { text: 'hi' })).toMatchObject({ response: 1 });
  });

  it('loads controllers by controllerName from controllersDirectory, with this.webSocketServer', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'roomcast-controllers-'));
    writeFileSync(
      path.join(dir, 'chat.controller.mjs'),
      `export default class ChatController {
        constructor({ webSocketServer }) { this.webSocketServer = webSocketServer; }
        send = (ws, clientId, data) => {
          this.webSocketServer.broadcastToAllClients({ data: { type: 'chat', action: 'message', data }, excludeClientId: clientId });
          return { success: true };
        };
      }`,
    );
    const { connect } = await start({
      controllersDirectory: dir,
      routes: [{ type: 'chat', action: 'send', controllerName: 'chat' }],
    });
    const a = await connect();
    const b = await connect();
    expect(await a.request('chat', 'send', { text: 'hello' })).toMatchObject({ response: { success: true } });
    expect(await b.next(f => f.type === 'chat' && f.action === 'message')).toMatchObject({
      data: { text: 'hello' },
    });
    expect(a.received('chat', 'message')).toHaveLength(0);
  });

  it('refuses routes without a handler at start-up', async () => {
    const server = new WebSocketServer({ routes: [{ type: 'a', action: 'b' }] });
    await expect(server.listen()).rejects.toThrow(/needs a handler/);
    await server.stop();
  });

  it('throws a TypeError for unknown options', () => {
    expect(() => new WebSocketServer({ nope: 1 } as never)).toThrow(TypeError);
  });
});

describe('attach', () => {
  it('shares a node:http server: its path upgrades, plain requests and other upgrades stay the app’s', async () => {
    const http = createServer((_request, response) => response.end('plain'));
    http.on('upgrade', (request, socket) => {
      // Answers a little later, as a handler that checks something first would.
      if (request.url === '/other') setTimeout(() => socket.end('HTTP/1.1 418 I am a teapot\r\n\r\n'), 100);
    });
    const server = new WebSocketServer();
    await server.attach(http, { path: '/live' });
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const base = `127.0.0.1:${(http.address() as AddressInfo).port}`;
    try {
      const client = await TestClient.connect(`ws://${base}/live`);
      expect(await client.request('system', 'ping')).toMatchObject({ response: 'pong' });
      await client.close();
      expect(await upgradeStatus(`ws://${base}/other`)).toBe(418);
      expect(await (await fetch(`http://${base}/`)).text()).toBe('plain');
    } finally {
      await server.stop({ timeoutMs: 500 });
      await new Promise(resolve => http.close(resolve));
    }
  });

  it('alone on a server, refuses upgrades for other paths with 404', async () => {
    const http = createServer();
    const server = new WebSocketServer();
    await server.attach(http, { path: '/live' });
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    try {
      expect(await upgradeStatus(`ws://127.0.0.1:${(http.address() as AddressInfo).port}/elsewhere`)).toBe(
        404,
      );
    } finally {
      await server.stop({ timeoutMs: 500 });
      await new Promise(resolve => http.close(resolve));
    }
  });
});

describe('rooms', () => {
  it('roomManager.printRooms() logs every room of this node and its members (the guide)', async () => {
    const lines: { obj: unknown; msg: unknown }[] = [];
    const log = (obj: unknown, msg?: unknown) => void lines.push({ obj, msg });
    const logger = { debug: () => {}, info: log, warn: () => {}, error: () => {} };
    const { server, connect } = await start({ logger, nodeId: 'n1' });
    const [a, b] = [await connect(), await connect()];
    await a.request('system', 'joinRoom', { roomName: 'chat:one' });
    await b.request('system', 'joinRoom', { roomName: 'chat:two' });
    server.roomManager.printRooms();
    expect(lines.at(-1)).toEqual({
      obj: { rooms: { 'chat:one': [a.clientId], 'chat:two': [b.clientId] } },
      msg: '2 rooms on node n1',
    });
    expect(await server.roomManager.getRoomMembers('chat:one')).toMatchObject([{ clientId: a.clientId }]);
  });

  it('joins and leaves with the built-in routes; room broadcasts reach members only', async () => {
    const { server, connect } = await start();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    expect(
      await a.request('system', 'joinRoom', { roomName: 'chat:general', username: ' Ada ' }),
    ).toMatchObject({
      response: { success: true, roomName: 'chat:general' },
    });
    await b.request('system', 'joinRoom', { roomName: 'chat:general' });
    expect([...(server.rooms.get('chat:general') ?? [])].sort()).toEqual([a.clientId, b.clientId].sort());
    await server.broadcastToRoom({
      roomName: 'chat:general',
      data: { type: 'chat', action: 'message', data: 1 },
      excludeClientId: b.clientId,
    });
    await sync(server, [a, b, c]);
    expect(a.received('chat', 'message')).toEqual([
      { type: 'chat', action: 'message', data: 1, room: 'chat:general' },
    ]);
    expect(b.received('chat', 'message')).toHaveLength(0);
    expect(c.received('chat', 'message')).toHaveLength(0);
    await server.broadcastToRoom({
      roomName: 'chat:general',
      data: { type: 'chat', action: 'message', data: 2 },
    });
    await sync(server, [a, b, c]);
    expect(b.received('chat', 'message')).toHaveLength(1);
    expect(c.received('chat', 'message')).toHaveLength(0);
    expect(await a.request('system', 'leaveRoom', { roomName: 'chat:general' })).toMatchObject({
      response: { success: true },
    });
    expect([...(server.rooms.get('chat:general') ?? [])]).toEqual([b.clientId]);
    const members = await server.getRoomMembers('chat:general');
    expect(members).toEqual([{ clientId: b.clientId, nodeId: server.nodeId, userId: null, username: null }]);
  });

  it('excludes the sender from a room broadcast', async () => {
    const { server, connect } = await start();
    const [a, b] = [await connect(), await connect()];
    for (const x of [a, b]) await x.request('system', 'joinRoom', { roomName: 'r' });
    await reset(server, [a, b]);
    await server.broadcastToRoom({
      roomName: 'r',
      data: { type: 'chat', action: 'm' },
      excludeClientId: a.clientId,
    });
    await sync(server, [a, b]);
    expect(a.received('chat', 'm')).toHaveLength(0);
    expect(b.received('chat', 'm')).toHaveLength(1);
  });

  it('moves the client when clientCanJoinMultipleRooms is false', async () => {
    const { server, connect } = await start({ rooms: { clientCanJoinMultipleRooms: false } });
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'one' });
    await a.request('system', 'joinRoom', { roomName: 'two' });
    expect(server.rooms.has('one')).toBe(false);
    expect([...(server.rooms.get('two') ?? [])]).toEqual([a.clientId]);
  });

  it('keeps several rooms when clientCanJoinMultipleRooms is true', async () => {
    const { server, connect } = await start();
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'one' });
    await a.request('system', 'joinRoom', { roomName: 'two' });
    expect(server.rooms.has('one') && server.rooms.has('two')).toBe(true);
  });

  it('refuses bad names, too many rooms and unauthorized joins', async () => {
    const { connect } = await start({
      rooms: { maxRoomsPerClient: 2, authorizeJoin: ({ roomName }) => !roomName.startsWith('private:') },
    });
    const a = await connect();
    expect(await a.request('system', 'joinRoom', { roomName: 'bad name' })).toMatchObject({
      error: { code: 'INVALID_ROOM' },
    });
    expect(await a.request('system', 'joinRoom', { roomName: 'private:x' })).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    await a.request('system', 'joinRoom', { roomName: 'r1' });
    await a.request('system', 'joinRoom', { roomName: 'r2' });
    expect(await a.request('system', 'joinRoom', { roomName: 'r3' })).toMatchObject({
      error: { code: 'ROOM_LIMIT' },
    });
  });

  it('ignores a userId sent by the client in joinRoom', async () => {
    const { server, connect } = await start();
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'r', userId: 'admin', userType: 'admin' });
    expect((await server.getRoomMembers('r'))[0]?.userId).toBeNull();
  });

  it('cleans up rooms when a client disconnects', async () => {
    const { server, connect } = await start();
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'r' });
    await a.close();
    await expect.poll(() => server.rooms.has('r')).toBe(false);
    expect(await server.getRooms()).toEqual([]);
  });

  it('joins and leaves server-side by socket', async () => {
    const { server, connect } = await start();
    const a = await connect();
    const ws = server.clientManager.getClient({ clientId: a.clientId })!.ws;
    await server.joinRoom({ ws, roomName: 'general', username: 'alice', userId: 123 });
    expect(server.rooms.get('general')?.has(a.clientId)).toBe(true);
    await server.leaveRoom({ ws, roomName: 'general' });
    expect(server.rooms.has('general')).toBe(false);
  });
});

describe('broadcasting', () => {
  function countingData() {
    const counter = { count: 0 };
    const data = {
      type: 'n',
      action: 'm',
      toJSON: () => {
        counter.count++;
        return { type: 'n', action: 'm', data: 'x' };
      },
    };
    return { counter, data };
  }

  it('serializes a broadcast once, not once per client, for every broadcast kind', async () => {
    const { server, connect } = await start();
    const all = await Promise.all([connect(), connect(), connect()]);
    for (const c of all) await c.request('system', 'joinRoom', { roomName: 'r' });
    const ids = all.map(c => c.clientId);
    const calls: [string, (data: unknown) => unknown][] = [
      ['all', data => server.broadcastToAllClients({ data })],
      ['room', data => server.broadcastToRoom({ roomName: 'r', data })],
      ['clients', data => server.broadcastToClients(ids, data)],
      ['sendMessageToAll', data => server.sendMessageToAll({ data })],
    ];
    for (const [kind, call] of calls) {
      const { counter, data } = countingData();
      await call(data);
      await Promise.all(all.map(c => c.next(f => f.type === 'n')));
      expect(counter.count, kind).toBe(1);
      await reset(server, all);
    }
  });

  it('broadcastToAllClients honours excludeClientId and predicate', async () => {
    const { server, connect } = await start();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    server.clientManager.updateClient({ clientId: b.clientId, key: 'subscription', data: 'premium' });
    expect(server.clientManager.getClient({ clientId: b.clientId })?.subscription).toBe('premium');
    await reset(server, [a, b, c]);
    server.broadcastToAllClients({
      data: { type: 'p', action: 'x' },
      predicate: ({ userData }) => userData.subscription === 'premium',
    });
    server.broadcastToAllClients({ data: { type: 'e', action: 'x' }, excludeClientId: c.clientId });
    await sync(server, [a, b, c]);
    expect([a, b, c].map(x => x.received('p', 'x').length)).toEqual([0, 1, 0]);
    expect([a, b, c].map(x => x.received('e', 'x').length)).toEqual([1, 1, 0]);
  });

  it('broadcastToClient and WebSocketService.sendToClients reach exactly those clients', async () => {
    const { server, connect } = await start();
    const [a, b, c] = [await connect(), await connect(), await connect()];
    await reset(server, [a, b, c]);
    server.broadcastToClient({ clientId: a.clientId, data: { type: 'one', action: 'x' } });
    await new WebSocketService({ webSocketServer: server }).sendToClients([a.clientId, c.clientId], {
      type: 'two',
      action: 'x',
    });
    await sync(server, [a, b, c]);
    expect([a, b, c].map(x => x.received('one', 'x').length)).toEqual([1, 0, 0]);
    expect([a, b, c].map(x => x.received('two', 'x').length)).toEqual([1, 0, 1]);
  });

  it("WebSocketService sends the guide's message shapes", async () => {
    const { server, connect } = await start();
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'room1' });
    const service = new WebSocketService({ webSocketServer: server });
    await service.broadcast({ type: 'notification', action: 'update', data: { message: 'New' } });
    await service.sendToRooms(['room1', 'room2'], {
      type: 'chat',
      action: 'message',
      data: { text: 'Hello' },
    });
    await service.sendUserMessage('profileUpdated', { userId: 123 });
    await service.sendSystemMessage('maintenance', { minutes: 5 });
    await service.sendErrorMessage('authFailed', new Error('Invalid token'));
    await a.next(f => f.type === 'error' && f.action === 'authFailed');
    expect(a.frames.slice(-5)).toEqual([
      { type: 'notification', action: 'update', data: { message: 'New' } },
      { type: 'chat', action: 'message', data: { text: 'Hello' }, room: 'room1' },
      { type: 'user', action: 'profileUpdated', data: { userId: 123 } },
      { type: 'system', action: 'maintenance', data: { minutes: 5 } },
      { type: 'error', action: 'authFailed', data: { message: 'Invalid token' } },
    ]);
  });

  it('coalesces a burst into one socket write per client, in order, then closes behind it', async () => {
    const { server, connect } = await start();
    const [a, b] = [await connect(), await connect()];
    await reset(server, [a, b]);
    const writes = countWrites(server.clientManager.getClient({ clientId: a.clientId })!.ws);
    for (let i = 0; i < 10; i++)
      server.broadcastToAllClients({ data: { type: 'burst', action: 'x', data: i } });
    server.disconnectClient(a.clientId, 4000, 'bye');
    expect(writes.count).toBe(0); // corked until the turn is over
    expect((await a.closed).code).toBe(4000);
    expect(writes.count).toBe(1);
    expect(a.received('burst', 'x').map(f => f.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    await b.next(f => f.type === 'burst' && f.data === 9);
  });

  it('frames payloads of every header size (7-bit, 16-bit and 64-bit lengths)', async () => {
    const { server, connect } = await start();
    const client = await connect();
    const lengths: number[] = [];
    client.ws.on('message', raw => lengths.push((raw as Buffer).length));
    const envelope = JSON.stringify({ type: 'len', action: 'x', data: '' }).length;
    const boundaries = [125, 126, 127, 65_535, 65_536, 200_000];
    for (const length of boundaries) {
      server.broadcastToAllClients({
        data: { type: 'len', action: 'x', data: 'y'.repeat(length - envelope) },
      });
    }
    await client.next(f => f.type === 'len' && (f.data as string).length === 200_000 - envelope);
    expect(lengths).toEqual(boundaries);
  });

  it('sendClientMessage writes to one socket', async () => {
    const { server, connect } = await start();
    const [a, b] = [await connect(), await connect()];
    const client = server.clientManager.getClient({ clientId: a.clientId });
    server.sendClientMessage(client!.ws, { type: 'private', action: 'message', data: { text: 'Hello!' } });
    await a.next(f => f.type === 'private');
    await reset(server, [a, b]);
    expect(b.received('private', 'message')).toHaveLength(0);
  });
});

describe('events and lifecycle', () => {
  it('calls every event hook', async () => {
    const seen: string[] = [];
    const { connect } = await start({
      routes: [{ type: 'a', action: 'b', handler: () => 1 }],
      events: {
        onServerStarted: () => seen.push('started'),
        onConnected: () => seen.push('connected'),
        onMessage: () => seen.push('message'),
        onDisconnected: () => seen.push('disconnected'),
      },
    });
    const a = await connect();
    await a.request('a', 'b');
    await a.close();
    await expect.poll(() => seen).toEqual(['started', 'connected', 'message', 'disconnected']);
  });

  it('stop() closes clients with 1001, refuses new upgrades and is safe twice', async () => {
    const { server, url, connect } = await start();
    const a = await connect();
    // A client that does not read holds the stop open (it waits for the close handshake), so the
    // upgrade below reaches a server that is stopping but still listening: only the 503 refuses it.
    a.ws.pause();
    const stopping = server.stop({ timeoutMs: 60_000 });
    expect(server.stop()).toBe(stopping);
    expect(await upgradeStatus(url)).toBe(503);
    a.ws.resume();
    expect((await a.closed).code).toBe(1001);
    await stopping;
    await expect(TestClient.connect(url)).rejects.toThrow();
    expect(server.getHealth().activeConnections).toBe(0);
  });
});
