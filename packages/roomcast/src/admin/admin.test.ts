// The admin dashboard of one WebApplication, from a plain HTTP client (fetch) and real ws
// clients: HTTP Basic (401 without or with wrong credentials, the page and JSON with them), 404
// without the option, a short password refused at construction and never logged, the JSON of
// one node, and the two actions. Two nodes on Redis, and the page in Chromium, are in
// packages/tests (admin-cross-node.test.ts, admin-browser.test.ts).
import type { Logger } from '@roomcast/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebApplication } from '../web-application';

const PASSWORD = 'a-dashboard-password';
const apps: WebApplication[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(apps.splice(0).map(app => app.stop()));
});

/** A real Logger that keeps every call as one string, to search for the password in. */
function keptLogger(): { logger: Logger; text: () => string } {
  const lines: string[] = [];
  const at = (objOrMsg: object | string, msg?: string) => lines.push(JSON.stringify([objOrMsg, msg]));
  return { logger: { debug: at, info: at, warn: at, error: at }, text: () => lines.join('\n') };
}

async function startApp(
  admin: { password: string; username?: string; path?: string } | null,
  logger?: Logger,
) {
  const app = new WebApplication({
    name: 'admin-test',
    webserver: { port: 0 },
    handleSignals: false,
    logger: logger ?? false,
    websocket: {
      rooms: { patterns: [{ match: 'kept:*', presence: true, history: { size: 10, ttlMs: 60_000 } }] },
    },
    ...(admin && { admin }),
  });
  apps.push(app);
  await app.start();
  return `http://127.0.0.1:${app.webserver.port}`;
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const AS_ADMIN = { Authorization: basic('admin', PASSWORD) };

async function member(base: string, rooms: string[], username?: string) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/ws`);
  sockets.push(ws);
  const frames: Record<string, unknown>[] = [];
  ws.on('message', data => frames.push(JSON.parse(data.toString())));
  const next = async (match: (f: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 600 && !frames.some(match); i++) await new Promise(r => setTimeout(r, 50));
    const found = frames.find(match);
    if (!found) throw new Error('no such frame within 30 s');
    return found;
  };
  const closed = new Promise<number>(resolve => ws.once('close', code => resolve(code)));
  const connected = await next(f => f.action === 'connected');
  for (const roomName of rooms) {
    const id = `join-${roomName}`;
    ws.send(JSON.stringify({ type: 'system', action: 'joinRoom', data: { roomName, username }, id }));
    await next(f => f.id === id);
  }
  return { clientId: (connected.data as { clientId: string }).clientId, frames, next, closed };
}

describe('admin: configuration and auth', () => {
  it('is off by default: /admin is a 404', async () => {
    const base = await startApp(null);
    expect((await fetch(`${base}/admin`, { headers: AS_ADMIN })).status).toBe(404);
    expect((await fetch(`${base}/admin/api/cluster`, { headers: AS_ADMIN })).status).toBe(404);
  });

  it('refuses a password under 12 characters (and unknown keys) at construction, without showing it', () => {
    let message = '';
    try {
      new WebApplication({ name: 'a', admin: { password: 'short-pw-11' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/password must be a string of at least 12 characters/);
    expect(message).not.toContain('short-pw-11');
    expect(() => new WebApplication({ name: 'a', admin: {} as never })).toThrow(/at least 12/);
    expect(
      () => new WebApplication({ name: 'a', admin: { password: PASSWORD, pth: '/x' } as never }),
    ).toThrow(/unknown option "admin.pth"; did you mean "admin.path"/);
    expect(
      () => new WebApplication({ name: 'a', websocket: { enabled: false }, admin: { password: PASSWORD } }),
    ).toThrow(/needs websocket enabled/);
  });

  it('answers 401 with a Basic challenge without or with wrong credentials, on every path under it', async () => {
    const base = await startApp({ password: PASSWORD });
    const wrong = [
      {},
      { Authorization: basic('admin', `${PASSWORD}x`) },
      { Authorization: basic('root', PASSWORD) },
      { Authorization: `Bearer ${PASSWORD}` },
      { Authorization: 'Basic !!!' },
    ];
    for (const headers of wrong) {
      for (const path of ['/admin', '/admin/', '/admin/api/cluster', '/admin/no-such-thing']) {
        const response = await fetch(`${base}${path}`, { headers });
        expect(response.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="roomcast admin"/);
      }
    }
    const refused = await fetch(`${base}/admin/api/disconnect`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ clientId: 'x' }),
    });
    expect(refused.status).toBe(401);
  });

  it('serves the self-contained page and its JSON with the right credentials, at a custom path and user', async () => {
    const base = await startApp({ password: PASSWORD, username: 'ops', path: '/ops/dash' });
    const headers = { Authorization: basic('ops', PASSWORD) };
    const page = await fetch(`${base}/ops/dash`, { headers });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    const html = await page.text();
    expect(html).toContain('data-base="/ops/dash"');
    // No external asset: nothing loads from another origin.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect((await fetch(`${base}/ops/dash/api/cluster`, { headers })).status).toBe(200);
    expect((await fetch(`${base}/admin`, { headers })).status).toBe(404);
    expect((await fetch(`${base}/ops/dash/api/nothing`, { headers })).status).toBe(404);
  });

  it('never logs the password', async () => {
    const { logger, text } = keptLogger();
    const base = await startApp({ password: PASSWORD }, logger);
    await fetch(`${base}/admin`, { headers: AS_ADMIN });
    await fetch(`${base}/admin`, { headers: { Authorization: basic('admin', 'wrong-password!') } });
    expect(text()).toContain('"admin":"/admin"');
    expect(text()).not.toContain(PASSWORD);
    expect(text()).not.toContain(Buffer.from(`admin:${PASSWORD}`).toString('base64'));
  });
});

describe('admin: the JSON and the actions on one node', () => {
  it('lists the node, and rooms with their settings and members', async () => {
    const base = await startApp({ password: PASSWORD });
    const alice = await member(base, ['kept:1', 'plain'], 'alice');
    await member(base, ['plain']);
    const { cluster } = await (await fetch(`${base}/admin/api/cluster`, { headers: AS_ADMIN })).json();
    expect(cluster.nodes).toHaveLength(1);
    expect(cluster.nodes[0]).toMatchObject({ reachable: true, connections: 2, rooms: 2, busConnected: true });
    expect(cluster.nodes[0].memory.rss).toBeGreaterThan(0);
    expect(cluster.rooms).toEqual([
      { name: 'kept:1', members: 1, presence: true, history: { size: 10, ttlMs: 60_000 }, latestOffset: 0 },
      { name: 'plain', members: 2, presence: false, history: null, latestOffset: null },
    ]);
    const members = await (
      await fetch(`${base}/admin/api/rooms/kept%3A1/members`, { headers: AS_ADMIN })
    ).json();
    expect(members.members).toEqual([
      { clientId: alice.clientId, nodeId: cluster.nodeId, userId: null, username: 'alice' },
    ]);
  });

  it('sends an ephemeral test message to a room, and disconnects a client', async () => {
    const base = await startApp({ password: PASSWORD });
    const alice = await member(base, ['kept:1']);
    const post = (path: string, body: unknown, type = 'application/json') =>
      fetch(`${base}/admin/api${path}`, {
        method: 'POST',
        headers: { ...AS_ADMIN, 'Content-Type': type },
        body: JSON.stringify(body),
      });
    expect((await post('/rooms/kept%3A1/messages', { text: 'hello' })).status).toBe(200);
    const test = await alice.next(f => f.type === 'admin' && f.action === 'test');
    expect(test).toMatchObject({ data: { room: 'kept:1', text: 'hello' } });
    // Ephemeral: no offset in a history room.
    expect(test).not.toHaveProperty('offset');
    expect((await post('/rooms/kept%3A1/messages', { text: 5 })).status).toBe(400);
    // A form post from another site cannot set application/json: it is refused.
    expect((await post('/disconnect', { clientId: alice.clientId }, 'text/plain')).status).toBe(415);
    expect((await post('/disconnect', {})).status).toBe(400);
    expect((await post('/disconnect', { clientId: alice.clientId })).status).toBe(200);
    expect(await alice.closed).toBe(1000);
  });
});
