import { createServer } from 'node:net';
import { signToken } from '@roomcast/auth';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebApplication } from './web-application';

const apps: WebApplication[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map(app => app.stop()));
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** A `ws` client that records every frame and can wait for one matching `match`. */
function connect(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const frames: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', data => {
    frames.push(JSON.parse(data.toString()));
    for (const wake of waiters) wake();
  });
  const next = (match: (f: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = frames.find(match);
        if (!found) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      ws.once('close', () => reject(new Error('closed before the frame came')));
      check();
    });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, frames, next, opened };
}

describe('WebApplication (the guide)', () => {
  // The guide's Quick Start runs as written in packages/tests (guide-quick-start.test.ts).
  it('gives websocket.routes to the server', async () => {
    const app = new WebApplication({
      name: 'routes',
      webserver: { port: await freePort() },
      websocket: {
        routes: [{ type: 'chat', action: 'message', handler: (_ws, _id, data) => ({ echo: data }) }],
      },
    });
    apps.push(app);
    await app.start();
    const client = connect(`ws://127.0.0.1:${app.webserver.port}/ws`);
    await client.opened;
    client.ws.send(JSON.stringify({ type: 'chat', action: 'message', data: { text: 'Hello!' } }));
    expect(await client.next(f => f['action'] === 'message')).toMatchObject({
      response: { echo: { text: 'Hello!' } },
    });
    client.ws.close();
  });

  it('serves /healthz and /metrics, accepts webSocket spelled the other way and a custom path', async () => {
    const app = new WebApplication({
      name: 'probe',
      webserver: { port: 0 },
      webSocket: { url: 'ws://localhost/socket' },
    });
    apps.push(app);
    await app.start();
    const base = `http://127.0.0.1:${app.webserver.port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'healthy',
      activeConnections: 0,
      bus: { connected: true },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^roomcast_connections_open\{node="[^"]+"\} 0$/m);
    expect((await fetch(`${base}/nothing`)).status).toBe(404);
    const client = connect(`ws://127.0.0.1:${app.webserver.port}/socket`);
    await client.opened;
    client.ws.close();
  });

  it('refuses a bad token with 401 at the upgrade and authenticates a good one', async () => {
    const secret = 'a-test-secret-that-is-long-enough-for-hs256';
    const app = new WebApplication({ name: 'auth', webserver: { port: 0 }, auth: { jwtSecretKey: secret } });
    apps.push(app);
    await app.start();
    const url = `ws://127.0.0.1:${app.webserver.port}/ws`;
    const bad = signToken({ sub: 'u1' }, { secret: 'another-secret-that-is-long-enough-too' });
    const status = await new Promise(resolve => {
      const ws = new WebSocket(`${url}?token=${bad}`);
      ws.on('unexpected-response', (_request, response) => resolve(response.statusCode));
      ws.on('error', () => {});
    });
    expect(status).toBe(401);
    const good = connect(`${url}?token=${signToken({ sub: 'u1' }, { secret })}`);
    expect(await good.next(f => f['action'] === 'authenticated')).toMatchObject({
      type: 'auth',
      data: { userId: 'u1' },
    });
    good.ws.close();
  });

  it('says which port is in use', async () => {
    const first = new WebApplication({ name: 'one', webserver: { port: 0 } });
    apps.push(first);
    await first.start();
    const port = first.webserver.port ?? 0;
    const second = new WebApplication({ name: 'two', webserver: { port } });
    apps.push(second);
    await expect(second.start()).rejects.toThrow(`Port ${port} is in use on 127.0.0.1`);
  });

  it("listens on the guide's webSocket.host, and webserver.host wins over it", async () => {
    const guide = new WebApplication({ name: 'g', webserver: { port: 0 }, webSocket: { host: '::1' } });
    const both = new WebApplication({
      name: 'b',
      webserver: { port: 0, host: '127.0.0.1' },
      webSocket: { host: '::1' },
    });
    apps.push(guide, both);
    await guide.start();
    await both.start();
    expect(guide.webserver.server?.address()).toMatchObject({ address: '::1' });
    expect(both.webserver.server?.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('leaves nothing behind when start() fails: no listening server, no signal handler', async () => {
    const first = new WebApplication({ name: 'one', webserver: { port: 0 } });
    apps.push(first);
    await first.start();
    const servers = () => process.getActiveResourcesInfo().filter(r => r === 'TCPServerWrap').length;
    const before = { sigterm: process.listenerCount('SIGTERM'), sigint: process.listenerCount('SIGINT') };
    const listening = servers();
    const second = new WebApplication({ name: 'two', webserver: { port: first.webserver.port ?? 0 } });
    apps.push(second);
    await expect(second.start()).rejects.toThrow(/is in use/);
    expect({ sigterm: process.listenerCount('SIGTERM'), sigint: process.listenerCount('SIGINT') }).toEqual(
      before,
    );
    await expect.poll(servers).toBeLessThanOrEqual(listening);
  });

  it('names host:port when Redis cannot be reached', async () => {
    const port = await freePort();
    const app = new WebApplication({ name: 'r', webserver: { port: 0 }, redis: { host: '127.0.0.1', port } });
    apps.push(app);
    await expect(app.start()).rejects.toThrow(`Redis unreachable at 127.0.0.1:${port}`);
  }, 60_000);
});
