import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Authenticator, ErrorCode, RoomcastError } from '@roomcast/protocol';
import { type RoutesOf, route, WebSocketServer, type WebSocketServerOptions } from '@roomcast/server';
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { WebSocketServer as RawWebSocketServer } from 'ws';
import { backoffDelay, createClient, DEFAULT_RECONNECT, RoomcastClient, WebSocketClient } from './index';

const log: unknown[] = [];
const routes = [
  route({ type: 'who', action: 'ami', handler: (_ws, clientId) => ({ clientId }) }),
  route({
    type: 'echo',
    action: 'say',
    handler: (_ws, _id, data: { text: string }) => ({ said: data.text }),
  }),
  // Replies only after the client's 50 ms timeout has fired.
  route({
    type: 'silent',
    action: 'drop',
    handler: () => new Promise(resolve => setTimeout(resolve, 1_000)),
  }),
  route({
    type: 'log',
    action: 'add',
    handler: (_ws, _id, data: unknown) => {
      log.push(data);
    },
  }),
] as const;
type Routes = RoutesOf<typeof routes>;

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
  log.length = 0;
});

async function startServer(port = 0, options: Omit<WebSocketServerOptions, 'routes'> = {}) {
  const server = new WebSocketServer({ routes: [...routes], ...options });
  const address = await server.listen({ port });
  cleanup.push(() => server.stop({ timeoutMs: 500 }));
  return { server, ...address };
}

function client(url: string, options: Partial<ConstructorParameters<typeof RoomcastClient>[0]> = {}) {
  const c = createClient<Routes>({ url, reconnect: { initialDelayMs: 10, maxDelayMs: 50 }, ...options });
  cleanup.push(() => c.close());
  return c;
}

const once = <T>(c: RoomcastClient<Routes>, name: 'reconnected' | 'reconnecting' | 'close' | 'open') =>
  new Promise<T>(resolve => {
    const off = c.events.on(name, value => {
      off();
      resolve(value as T);
    });
  });

describe('RoomcastClient', () => {
  it('connects and knows the clientId the server gave it', async () => {
    const { url } = await startServer();
    const c = client(url);
    await c.connect();
    const reply = await c.request('who', 'ami', undefined);
    expect(reply.clientId).toBe(c.clientId);
    expect(c.nodeId).toBeTypeOf('string');
  });

  it('types request() from the server routes and resolves with the response', async () => {
    const { url } = await startServer();
    const c = client(url);
    await c.connect();
    const reply = await c.request('echo', 'say', { text: 'hi' });
    expectTypeOf(reply).toEqualTypeOf<{ said: string }>();
    expect(reply).toEqual({ said: 'hi' });
  });

  it('rejects with the server error code, and with TIMEOUT when no reply comes', async () => {
    const { url } = await startServer();
    const c = createClient({ url });
    cleanup.push(() => c.close());
    await c.connect();
    const unknown = await c.request('nope', 'nothing', {}).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(RoomcastError);
    expect((unknown as RoomcastError).code).toBe(ErrorCode.UNKNOWN_ROUTE);
    const silent = await c.request('silent', 'drop', {}, { timeoutMs: 50 }).catch((error: unknown) => error);
    expect((silent as RoomcastError).code).toBe(ErrorCode.TIMEOUT);
  });

  it('calls on() handlers until they are removed', async () => {
    const { server, url } = await startServer();
    const c = client(url);
    await c.connect();
    const seen: unknown[] = [];
    const off = c.on('note', 'new', data => seen.push(data));
    const push = async (n: number) => {
      server.broadcastToClient({
        clientId: c.clientId ?? '',
        data: { type: 'note', action: 'new', data: n },
      });
      await c.request('who', 'ami', undefined); // a barrier: the push was received before the reply
    };
    await push(1);
    off();
    await push(2);
    expect(seen).toEqual([1]);
  });

  it('receives room broadcasts after joinRoom', async () => {
    const { server, url } = await startServer();
    const c = client(url);
    await c.connect();
    const reply = await c.joinRoom('lobby', { username: 'alice' });
    expect(reply).toMatchObject({ success: true, roomName: 'lobby' });
    const got = new Promise(resolve => c.on('chat', 'message', resolve));
    await server.broadcastToRoom({
      roomName: 'lobby',
      data: { type: 'chat', action: 'message', data: { text: 'yo' } },
    });
    expect(await got).toEqual({ text: 'yo' });
    expect(c.rooms).toEqual(['lobby']);
  });

  it('reconnects to a new server, rejoins its rooms and flushes what was sent offline once', async () => {
    const first = await startServer();
    const c = client(first.url);
    await c.connect();
    await c.joinRoom('lobby');
    const oldId = c.clientId;
    const closed = once(c, 'close');
    await first.server.stop({ timeoutMs: 500 });
    await closed;
    c.send('log', 'add', 1);
    c.send('log', 'add', 2);
    const queuedRequest = c.request('echo', 'say', { text: 'queued' });

    const reconnected = once(c, 'reconnected');
    const second = await startServer(first.port);
    await reconnected;
    expect(c.clientId).not.toBe(oldId);
    expect(second.server.rooms.get('lobby')?.has(c.clientId ?? '')).toBe(true);
    expect(await queuedRequest).toEqual({ said: 'queued' });
    expect(log).toEqual([1, 2]);

    const got = new Promise(resolve => c.on('chat', 'message', resolve));
    await second.server.broadcastToRoom({
      roomName: 'lobby',
      data: { type: 'chat', action: 'message', data: 'again' },
    });
    expect(await got).toBe('again');
  });

  describe('recovery', () => {
    const rooms = { patterns: [{ match: 'chat:*', history: { size: 20, ttlMs: 60_000 } }] };
    // Reconnecting only after a fixed second keeps every broadcast below inside the outage.
    const slowReconnect = { reconnect: { initialDelayMs: 1000, maxDelayMs: 1000, random: () => 1 } };
    const say = (server: WebSocketServer, n: number) =>
      server.broadcastToRoom({
        roomName: 'chat:general',
        data: { type: 'chat', action: 'message', data: n },
      });
    const dropSocket = (server: WebSocketServer, c: RoomcastClient<Routes>) =>
      server.clientManager.getClient({ clientId: c.clientId ?? '' })?.ws.terminate();

    it('gets every room message it missed while disconnected, once and in order', async () => {
      const { server, url } = await startServer(0, { rooms });
      const c = client(url, slowReconnect);
      await c.connect();
      await c.joinRoom('chat:general');
      const seen: number[] = [];
      c.on('chat', 'message', (n: number) => seen.push(n));
      for (let n = 1; n <= 3; n++) await say(server, n);
      await vi.waitFor(() => expect(seen).toHaveLength(3));
      const closed = once(c, 'close');
      dropSocket(server, c);
      await closed;
      const reconnected = once(c, 'reconnected');
      for (let n = 4; n <= 18; n++) await say(server, n);
      await reconnected;
      await say(server, 19);
      await vi.waitFor(() => expect(seen).toContain(19));
      expect(seen).toEqual(Array.from({ length: 19 }, (_, i) => i + 1));
    });

    it('tells the app when a room could not be recovered, then carries on live', async () => {
      const { server, url } = await startServer(0, { rooms });
      const c = client(url, slowReconnect);
      await c.connect();
      await c.joinRoom('chat:general');
      await say(server, 1);
      await vi.waitFor(() => expect(server.rooms.get('chat:general')?.size).toBe(1));
      const notRecovered = new Promise(resolve => c.events.on('roomNotRecovered', resolve));
      const closed = once(c, 'close');
      dropSocket(server, c);
      await closed;
      for (let n = 2; n <= 40; n++) await say(server, n);
      expect(await notRecovered).toEqual({ room: 'chat:general' });
      const seen: number[] = [];
      c.on('chat', 'message', (n: number) => seen.push(n));
      await say(server, 41);
      await vi.waitFor(() => expect(seen).toEqual([41]));
    });
  });

  it('drops the oldest frame from a full offline queue and counts it', async () => {
    const { url } = await startServer();
    const c = client(url, { offlineQueue: { max: 2 } });
    c.send('log', 'add', 'a');
    c.send('log', 'add', 'b');
    c.send('log', 'add', 'c');
    expect(c.stats.dropped).toBe(1);
    await c.connect();
    await c.request('who', 'ami', undefined);
    expect(log).toEqual(['b', 'c']);
  });

  it('backs off with full jitter: random() * min(max, initial * factor^attempt)', async () => {
    const options = { ...DEFAULT_RECONNECT, initialDelayMs: 100, maxDelayMs: 1000, random: () => 0.5 };
    expect([0, 1, 2, 3, 4, 10].map(n => backoffDelay(n, options))).toEqual([50, 100, 200, 400, 500, 500]);

    const { server, url } = await startServer();
    const c = client(url, { reconnect: { initialDelayMs: 4, maxDelayMs: 10, random: () => 0.5 } });
    await c.connect();
    const delays: number[] = [];
    const three = new Promise<void>(resolve =>
      c.events.on('reconnecting', ({ delayMs }) => {
        delays.push(delayMs);
        if (delays.length === 3) resolve();
      }),
    );
    await server.stop({ timeoutMs: 500 });
    await three;
    c.close();
    expect(delays).toEqual([2, 4, 5]);
  });

  it('stops reconnecting after close()', async () => {
    const { server, url } = await startServer();
    const c = client(url);
    await c.connect();
    let reconnecting = 0;
    c.events.on('reconnecting', () => reconnecting++);
    const pending = c.request('silent', 'drop', {});
    c.close();
    expect(((await pending.catch((e: unknown) => e)) as RoomcastError).code).toBe(ErrorCode.DISCONNECTED);
    await server.stop({ timeoutMs: 500 });
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(reconnecting).toBe(0);
    expect(c.send('log', 'add', 1)).toBe(false);
  });

  it('does not retry after 4003, nor after 4001 when it has no getToken', async () => {
    const { server, url } = await startServer();
    for (const code of [4003, 4001]) {
      const c = client(url);
      await c.connect();
      let reconnecting = 0;
      c.events.on('reconnecting', () => reconnecting++);
      const closed = once<{ code: number }>(c, 'close');
      server.disconnectClient(c.clientId ?? '', code, 'go away');
      expect((await closed).code).toBe(code);
      // Shut down, not waiting to retry: a send is refused instead of queued.
      expect(c.send('log', 'add', code)).toBe(false);
      expect(reconnecting).toBe(0);
    }
  });

  it('logs in with a fresh token from getToken on every connection', async () => {
    // The Authenticator contract, implemented for the test: "token-<n>" proves user "u<n>".
    const authenticator: Authenticator = {
      required: true,
      loginTimeoutMs: 5_000,
      verify: async token => {
        if (!token.startsWith('token-')) throw new RoomcastError(ErrorCode.UNAUTHORIZED, 'bad token');
        return { userId: `u${token.slice(6)}`, payload: {} };
      },
    };
    const { server, url } = await startServer(0, { authenticator });
    let issued = 0;
    const c = client(url, { getToken: () => `token-${++issued}` });
    await c.connect();
    const userOf = () => server.clientManager.getClient({ clientId: c.clientId ?? '' })?.user?.userId;
    expect(userOf()).toBe('u1');
    const reconnected = once(c, 'reconnected');
    server.disconnectClient(c.clientId ?? '', 1012, 'restart');
    await reconnected;
    expect(userOf()).toBe('u2');
  });

  it('treats a silent connection as dead after heartbeatTimeoutMs and reconnects', async () => {
    // A peer that completes the handshake and then never answers: a half-open connection.
    const silent = new RawWebSocketServer({ port: 0, host: '127.0.0.1' });
    cleanup.push(() => new Promise(resolve => silent.close(resolve)));
    silent.on('connection', ws =>
      ws.send(
        JSON.stringify({ type: 'system', action: 'connected', data: { clientId: 'c1', nodeId: 'n1' } }),
      ),
    );
    await new Promise(resolve => silent.once('listening', resolve));
    const c = client(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}`, { heartbeatTimeoutMs: 200 });
    const closed = once<{ code: number }>(c, 'close');
    const reconnecting = once(c, 'reconnecting');
    await c.connect();
    expect((await closed).code).toBe(4000);
    await reconnecting;
  });

  it('validates its options with TypeErrors', () => {
    expect(() => new RoomcastClient({ url: 'http://x' })).toThrow(TypeError);
    expect(() => new RoomcastClient({ url: 'ws://x', requestTimeoutMs: 0 })).toThrow(TypeError);
  });
});

describe('WebSocketClient (the guide API)', () => {
  it('connects and reports the server clientId to onConnected', async () => {
    const { url } = await startServer();
    let connected: { clientId: string } | undefined;
    const messages: unknown[] = [];
    const guide = new WebSocketClient({
      applicationConfig: {},
      options: {
        url,
        controllersDirectory: './ignored',
        events: { onConnected: event => (connected = event), onMessage: ({ data }) => messages.push(data) },
      },
      routes: [],
    });
    cleanup.push(() => guide.disconnect());
    await guide.load();
    await guide.connectToServer();
    const reply = (await guide.client.request('who', 'ami', undefined)) as { clientId: string };
    expect(connected?.clientId).toBe(reply.clientId);
    guide.sendClientMessage({ type: 'log', action: 'add', data: 'guide' });
    await guide.client.request('who', 'ami', undefined);
    expect(log).toEqual(['guide']);
    expect(messages.length).toBeGreaterThan(0);
  });

  it('runs client routes (a handler, a controller from controllersDirectory) and the reconnect events', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'roomcast-client-controllers-'));
    cleanup.push(() => rmSync(directory, { recursive: true, force: true }));
    writeFileSync(
      join(directory, 'alerts.controller.mjs'),
      'export default class Alerts { constructor({ client }) { this.client = client; } ' +
        'show(data) { globalThis.__shownAlerts = [...(globalThis.__shownAlerts ?? []), data]; } }',
    );
    const { server, url } = await startServer();
    const seen: string[] = [];
    const events: string[] = [];
    const guide = new WebSocketClient({
      options: {
        url,
        controllersDirectory: directory,
        reconnect: { initialDelayMs: 10, maxDelayMs: 20, maxAttempts: 2 },
        events: {
          onReconnecting: ({ attempt }) => events.push(`reconnecting ${attempt}`),
          onReconnected: () => events.push('reconnected'),
          onReconnectFailed: ({ attempts }) => events.push(`failed after ${attempts}`),
        },
        routes: [{ type: 'chat', action: 'message', handler: data => seen.push(String(data)) }],
      },
      routes: [{ type: 'alerts', action: 'show', controllerName: 'alerts' }],
    });
    cleanup.push(() => guide.disconnect());
    await guide.load();
    await guide.connectToServer();
    server.broadcastToAllClients({ data: { type: 'chat', action: 'message', data: 'hi' } });
    server.broadcastToAllClients({ data: { type: 'alerts', action: 'show', data: 'disk full' } });
    await vi.waitFor(() =>
      expect((globalThis as { __shownAlerts?: unknown[] }).__shownAlerts).toEqual(['disk full']),
    );
    expect(seen).toEqual(['hi']);

    const reconnected = once(guide.client as RoomcastClient<Routes>, 'reconnected');
    server.disconnectClient(guide.client.clientId ?? '', 1012, 'restart');
    await reconnected;
    expect(events).toEqual(['reconnecting 1', 'reconnected']);

    await server.stop({ timeoutMs: 500 });
    await vi.waitFor(() => expect(events.at(-1)).toBe('failed after 2'));
  });
});
