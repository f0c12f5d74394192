import type { EventEmitter } from 'node:events';
import { TestClient, upgradeStatus } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServerOptions } from './options';
import { WebSocketServer } from './server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

// Shared CI machines can be slow; these tests wait for behaviour, never for a duration.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 60_000 });

describe('bad input (SPEC section 10, one node)', () => {
  it('closes 1009 on a frame over maxPayload; others unaffected', async () => {
    const { connect } = await start({ limits: { maxPayload: 1024 } });
    const [a, b] = [await connect(), await connect()];
    a.send({ type: 'x', action: 'y', data: 'z'.repeat(2000) });
    expect((await a.closed).code).toBe(1009);
    expect(await b.request('system', 'ping')).toMatchObject({ response: 'pong' });
  });

  it('answers a flood with RATE_LIMITED, then closes 4008; another client keeps working', async () => {
    const { server, connect } = await start();
    const [flooder, other] = [await connect(), await connect()];
    // Rounds of 10,000 until the close: on a loaded machine the server may read one round slowly
    // enough for the bucket to refill between frames, so one round need not reach the threshold.
    const open = () => flooder.ws.readyState === WebSocket.OPEN;
    for (let round = 0, id = 0; round < 20 && open(); round++) {
      for (let i = 0; i < 10_000 && open(); i++) flooder.send({ type: 'system', action: 'ping', id: id++ });
      await Promise.race([flooder.closed, new Promise(resolve => setTimeout(resolve, 1_000))]);
    }
    const probe = other.request('system', 'ping');
    expect((await flooder.closed).code).toBe(4008);
    expect(await probe).toMatchObject({ response: 'pong' });
    const limited = flooder.frames.filter(
      f => (f.error as { code?: string } | undefined)?.code === 'RATE_LIMITED',
    );
    expect(limited.length).toBeGreaterThan(0);
    expect(new Set(limited.map(f => (f.error as { message?: string }).message))).toEqual(
      new Set(['Too many messages; slow down']),
    );
    expect(flooder.frames.filter(f => f.response === 'pong').length).toBeGreaterThanOrEqual(200);
    expect(server.getHealth().rateLimited).toBe(limited.length);
  });

  it('refuses a disallowed Origin with HTTP 403 and allows a listed one', async () => {
    const { url, connect } = await start({ allowedOrigins: ['https://app.example.com'] });
    expect(await upgradeStatus(url, { headers: { Origin: 'https://evil.example.com' } })).toBe(403);
    await connect({ headers: { Origin: 'https://app.example.com' } });
  });

  it('answers 503 over maxConnections, 429 over maxConnectionsPerIp, 404 on another path', async () => {
    const a = await start({ limits: { maxConnections: 1 } });
    await a.connect();
    expect(await upgradeStatus(a.url)).toBe(503);
    const b = await start({ limits: { maxConnectionsPerIp: 1 } });
    expect(await upgradeStatus(b.url.replace('/ws', '/other'))).toBe(404);
    await b.connect();
    expect(await upgradeStatus(b.url)).toBe(429);
  });

  it('terminates a client that stops answering pings', async () => {
    // Both clients live in this process, so the one that answers does so only when this process
    // gets to run: 2 s to answer is a margin no busy machine eats, 50 ms was one a GC could.
    const { connect } = await start({ heartbeat: { intervalMs: 100, timeoutMs: 2_000 } });
    const silent = await connect({ autoPong: false });
    const alive = await connect();
    expect((await silent.closed).code).toBe(1006);
    expect(await alive.request('system', 'ping')).toMatchObject({ response: 'pong' });
  });

  it('closes inactive clients with 4010 (disconnectInactiveClients)', async () => {
    const { connect } = await start({
      disconnectInactiveClients: { enabled: true, inactiveTime: 100, intervalCheckTime: 50, log: true },
    });
    const idle = await connect();
    expect((await idle.closed).code).toBe(4010);
  });

  it('closes a client that stops reading with 4009 and keeps its buffer bounded; others get everything', async () => {
    const maxBufferedBytes = 256 * 1024;
    const codes = new Map<string, number>();
    const { server, connect } = await start({
      limits: { maxBufferedBytes },
      heartbeat: false,
      events: { onDisconnected: ({ clientId, code }) => codes.set(clientId, code) },
    });
    const slow = await connect();
    const fast = await connect();
    const slowOnServer = server.clientManager.getClient({ clientId: slow.clientId })!.ws;
    const fastOnServer = server.clientManager.getClient({ clientId: fast.clientId })!.ws;
    // ws.pause(), not its socket's: ws resumes the socket by itself when its parser drains.
    slow.ws.pause();
    const chunk = 'x'.repeat(10 * 1024);
    const total = 600; // 6 MB: well past the socket buffers and maxBufferedBytes
    let maxHeld = 0;
    let received = 0;
    const done = new Promise<void>(resolve =>
      fast.ws.on('message', raw => {
        if (raw.toString().includes('"bulk"') && ++received === total) resolve();
      }),
    );
    for (let i = 0; i < total; i++) {
      server.broadcastToAllClients({ data: { type: 'bulk', action: 'x', data: chunk } });
      maxHeld = Math.max(maxHeld, slowOnServer.bufferedAmount);
      // The fast client lives in this process and reads only between turns: send 100 KB per
      // turn, and start a turn only once it has drained, so it can never look slow.
      if (i % 10 === 9) {
        do await new Promise(resolve => setImmediate(resolve));
        while (fastOnServer.bufferedAmount > maxBufferedBytes / 2);
      }
    }
    await done;
    expect(received).toBe(total);
    expect(maxHeld).toBeLessThanOrEqual(maxBufferedBytes + 64 * 1024);
    expect(codes.get(slow.clientId)).toBe(4009);
    // It could not read its close frame (it sits behind maxBufferedBytes of unread frames), so the
    // server destroyed the socket after a short grace: the client, reading again, sees 1006.
    await new Promise(resolve =>
      slowOnServer.readyState === slowOnServer.CLOSED ? resolve(0) : slowOnServer.once('close', resolve),
    );
    slow.ws.resume();
    expect((await slow.closed).code).toBe(1006);
    expect(server.getHealth().dropped).toBeGreaterThan(0);
  });
});

/** Listener counts per event, to compare before and after. */
function listenersOf(emitter: EventEmitter): Record<string, number> {
  return Object.fromEntries(emitter.eventNames().map(name => [String(name), emitter.listenerCount(name)]));
}

/** Sockets and servers by kind; timers only as a count (one made by the connect may since be gone). */
function activeResources(): { handles: string[]; timers: number } {
  const all = process.getActiveResourcesInfo();
  return {
    handles: all.filter(kind => kind !== 'Timeout').sort(),
    timers: all.length - all.filter(kind => kind !== 'Timeout').length,
  };
}

describe('fuzz', () => {
  it('answers 2,000 random frames without crashing or leaking listeners', async () => {
    const { server, connect } = await start({ limits: { rateLimit: false } });
    const client = await connect();
    const onServer = server.clientManager.getClient({ clientId: client.clientId })!.ws;
    const socketOnServer = (onServer as unknown as { _socket: EventEmitter })._socket;
    const baseline = {
      listeners: [listenersOf(onServer), listenersOf(socketOnServer)],
      resources: activeResources(),
      health: server.getHealth(),
    };
    const deep = fc.integer({ min: 1, max: 2_000 }).map(n => `${'['.repeat(n)}${']'.repeat(n)}`);
    const frames = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.jsonValue().map(v => JSON.stringify(v)),
        fc
          .record({ type: fc.string(), action: fc.string(), data: fc.jsonValue() })
          .map(v => JSON.stringify(v)),
        deep,
        fc.string({ minLength: 10_000, maxLength: 30_000 }),
      ),
      2_000,
    );
    const before = client.frames.length;
    for (const frame of frames) client.ws.send(frame);
    await expect.poll(() => client.frames.length - before, { timeout: 30_000 }).toBe(frames.length);
    expect(await client.request('system', 'ping')).toMatchObject({ response: 'pong' });
    // Nothing a frame does may stay behind: no listener on the connection, no timer or handle.
    expect([listenersOf(onServer), listenersOf(socketOnServer)]).toEqual(baseline.listeners);
    const resources = activeResources();
    expect(resources.handles).toEqual(baseline.resources.handles);
    expect(resources.timers).toBeLessThanOrEqual(baseline.resources.timers);
    const health = server.getHealth();
    expect(health.activeConnections).toBe(baseline.health.activeConnections);
    expect(health.rooms).toBe(baseline.health.rooms);
  });
});

describe('health and shutdown', () => {
  it('reports health and Prometheus metrics', async () => {
    const { server, connect } = await start({ nodeId: 'n1' });
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: 'r' });
    expect(server.getHealth()).toMatchObject({
      status: 'healthy',
      nodeId: 'n1',
      activeConnections: 1,
      rooms: 1,
      messagesIn: 1,
      bus: { connected: true },
    });
    expect(server.metrics()).toMatch(/^roomcast_connections_open\{node="n1"\} 1$/m);
    expect(server.metrics()).toMatch(/^roomcast_messages_in_total\{node="n1"\} 1$/m);
  });

  it('leaves no timers, servers or sockets behind after stop()', async () => {
    const count = () => process.getActiveResourcesInfo().filter(r => r !== 'TTYWrap').length;
    const before = count();
    const server = new WebSocketServer({
      heartbeat: { intervalMs: 1000, timeoutMs: 500 },
      disconnectInactiveClients: { enabled: true },
    });
    const { url } = await server.listen();
    const client = await TestClient.connect(url);
    await client.request('system', 'joinRoom', { roomName: 'r' });
    await server.stop({ timeoutMs: 1000 });
    expect((await client.closed).code).toBe(1001);
    await expect.poll(count).toBeLessThanOrEqual(before);
  });
});
