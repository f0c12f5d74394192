// The HTTP publish API from a plain HTTP client (fetch, and node:http where a body must be cut
// short), one test per answer: 200, 400 naming the field, 401, 404, 405 with Allow, 413. The
// same API on two Redis nodes is in packages/tests (http-api-cross-node.test.ts).
import { request } from 'node:http';
import { signToken } from '@roomcast/auth';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WebApplication } from '../web-application';

const KEY = 'an-api-key-of-at-least-32-characters!';
const SECRET = 'a-jwt-secret-that-is-long-enough-for-hs256';
const MAX_PAYLOAD = 1024;

const apps: WebApplication[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  await Promise.all(apps.splice(0).map(app => app.stop()));
});

async function startApp(api: { key: string } | null = { key: KEY }) {
  const app = new WebApplication({
    name: 'api',
    webserver: { port: 0 },
    handleSignals: false,
    auth: { jwtSecretKey: SECRET },
    websocket: {
      limits: { maxPayload: MAX_PAYLOAD },
      rooms: { patterns: [{ match: 'kept:*', history: { size: 10, ttlMs: 60_000 } }] },
    },
    ...(api && { api }),
  });
  apps.push(app);
  await app.start();
  const base = `http://127.0.0.1:${app.webserver.port}`;
  const call = async (method: string, path: string, body?: unknown, key: string | null = KEY) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(key !== null && { Authorization: `Bearer ${key}` }),
        'Content-Type': 'application/json',
      },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.startsWith('application/json');
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text };
  };
  return { app, base, call };
}

/** A ws client signed in as `user`, joined to `rooms`; `frames` records what it got. */
async function member(app: WebApplication, user: string, rooms: string[] = []) {
  const token = signToken({ sub: user }, { secret: SECRET, expiresIn: '1h' });
  const ws = new WebSocket(`ws://127.0.0.1:${app.webserver.port}/ws?token=${token}`);
  sockets.push(ws);
  const frames: Record<string, unknown>[] = [];
  const closed = new Promise<number>(resolve => ws.once('close', code => resolve(code)));
  const next = (match: (f: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>(resolve => {
      const found = frames.find(match);
      if (found) return resolve(found);
      const check = () => {
        const hit = frames.find(match);
        if (hit) {
          ws.off('message', check);
          resolve(hit);
        }
      };
      ws.on('message', check);
    });
  ws.on('message', data => frames.push(JSON.parse(data.toString())));
  const connected = await next(f => f.action === 'connected');
  const clientId = (connected.data as { clientId: string }).clientId;
  for (const roomName of rooms) {
    const id = `join-${roomName}`;
    ws.send(JSON.stringify({ type: 'system', action: 'joinRoom', data: { roomName }, id }));
    await next(f => f.id === id);
  }
  return { ws, frames, next, closed, clientId };
}

const frame = (n: number) => ({ type: 'news', action: 'item', data: { n } });

describe('HTTP publish API: configuration', () => {
  it('is off by default: /api is an ordinary 404', async () => {
    const { call } = await startApp(null);
    const response = await call('POST', '/api/broadcast', { all: true, data: frame(1) });
    expect(response).toMatchObject({ status: 404, body: 'Not Found' });
  });

  it('refuses a key under 32 characters, and an API without a WebSocket server, at construction', () => {
    expect(() => new WebApplication({ name: 'a', api: { key: 'short' } })).toThrow(
      /api.key must be a secret of at least 32 characters/,
    );
    expect(() => new WebApplication({ name: 'a', api: { key: 'k'.repeat(31) } })).toThrow(TypeError);
    expect(() => new WebApplication({ name: 'a', api: { key: KEY, tiemoutMs: 1 } as never })).toThrow(
      'unknown option "api.tiemoutMs"; did you mean "api.timeoutMs"?',
    );
    expect(() => new WebApplication({ name: 'a', websocket: { enabled: false }, api: { key: KEY } })).toThrow(
      /needs websocket enabled/,
    );
  });
});

describe('HTTP publish API: answers', () => {
  it('POST /api/broadcast: 200 for a room, users, clients and all; members get each message once', async () => {
    const { app, call } = await startApp();
    const alice = await member(app, 'alice', ['news']);
    const bob = await member(app, 'bob');
    expect(await call('POST', '/api/broadcast', { room: 'news', data: frame(1) })).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(await alice.next(f => f.type === 'news')).toEqual({ ...frame(1), room: 'news' });
    expect((await call('POST', '/api/broadcast', { users: ['bob'], data: frame(2) })).body).toEqual({
      ok: true,
    });
    expect(await bob.next(f => f.type === 'news')).toEqual(frame(2));
    await call('POST', '/api/broadcast', { clients: [alice.clientId], data: frame(3) });
    await alice.next(f => (f.data as { n?: number })?.n === 3);
    await call('POST', '/api/broadcast', { all: true, data: frame(4), excludeClientId: bob.clientId });
    await call('POST', '/api/broadcast', { all: true, data: frame(5) });
    await bob.next(f => (f.data as { n?: number })?.n === 5);
    await alice.next(f => (f.data as { n?: number })?.n === 5);
    const ns = (frames: Record<string, unknown>[]) =>
      frames.filter(f => f.type === 'news').map(f => (f.data as { n: number }).n);
    expect(ns(alice.frames)).toEqual([1, 3, 4, 5]);
    expect(ns(bob.frames)).toEqual([2, 5]);
  });

  it('POST /api/broadcast into a history room answers the offset the members get; ephemeral has none', async () => {
    const { app, call } = await startApp();
    const alice = await member(app, 'alice', ['kept:a']);
    const first = await call('POST', '/api/broadcast', { room: 'kept:a', data: frame(1) });
    const second = await call('POST', '/api/broadcast', { room: 'kept:a', data: frame(2) });
    const ephemeral = await call('POST', '/api/broadcast', {
      room: 'kept:a',
      data: frame(3),
      ephemeral: true,
    });
    expect(first.body).toEqual({ ok: true, offset: 1, epoch: expect.any(String) });
    expect(second.body).toEqual({ ok: true, offset: 2, epoch: first.body.epoch });
    expect(ephemeral.body).toEqual({ ok: true });
    await alice.next(f => (f.data as { n?: number })?.n === 3);
    expect(alice.frames.filter(f => f.type === 'news').map(f => f.offset)).toEqual([1, 2, undefined]);
  });

  it('GET /api/rooms and /api/rooms/:name/members', async () => {
    const { app, call } = await startApp();
    const alice = await member(app, 'alice', ['news', 'kept:a']);
    expect((await call('GET', '/api/rooms')).body).toEqual({ ok: true, rooms: ['kept:a', 'news'] });
    const members = await call('GET', `/api/rooms/${encodeURIComponent('kept:a')}/members`);
    expect(members.body).toEqual({
      ok: true,
      room: 'kept:a',
      members: [expect.objectContaining({ clientId: alice.clientId, userId: 'alice' })],
    });
    expect((await call('GET', '/api/rooms/empty/members')).body).toEqual({
      ok: true,
      room: 'empty',
      members: [],
    });
  });

  it('POST /api/disconnect closes a client by id, or every client of a user, with the code given', async () => {
    const { app, call } = await startApp();
    const one = await member(app, 'alice');
    const two = await member(app, 'bob');
    const three = await member(app, 'bob');
    expect((await call('POST', '/api/disconnect', { clientId: one.clientId, code: 4003 })).body).toEqual({
      ok: true,
    });
    expect(await one.closed).toBe(4003);
    expect((await call('POST', '/api/disconnect', { userId: 'bob' })).status).toBe(200);
    expect(await Promise.all([two.closed, three.closed])).toEqual([1000, 1000]);
  });

  it('401 without the key, with a wrong one, or with another scheme', async () => {
    const { call } = await startApp();
    for (const key of [null, 'x'.repeat(KEY.length), `${KEY}x`, '']) {
      const response = await call('POST', '/api/broadcast', { all: true, data: frame(1) }, key);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        ok: false,
        error: { code: 'UNAUTHORIZED', message: expect.any(String) },
      });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const { base } = await startApp();
    const basic = await fetch(`${base}/api/rooms`, { headers: { Authorization: `Basic ${KEY}` } });
    expect(basic.status).toBe(401);
  });

  it('400 naming the field: bad JSON, no target, two targets, a bad room, data, an unknown field', async () => {
    const { call } = await startApp();
    const cases: [unknown, string][] = [
      ['{"room": ', 'body'],
      ['[1, 2]', 'body'],
      [{ data: frame(1) }, 'room'],
      [{ room: 'news', users: ['u'], data: frame(1) }, 'users'],
      [{ room: 'no spaces', data: frame(1) }, 'room'],
      [{ room: 'news' }, 'data'],
      [{ room: 'news', data: 'text' }, 'data'],
      [{ room: 'news', data: frame(1), ephemeral: 'yes' }, 'ephemeral'],
      [{ users: [], data: frame(1) }, 'users'],
      [{ clients: [1], data: frame(1) }, 'clients'],
      [{ all: 1, data: frame(1) }, 'all'],
      [{ rooms: 'news', data: frame(1) }, 'rooms'],
    ];
    for (const [body, field] of cases) {
      const response = await call('POST', '/api/broadcast', body);
      expect({ body, status: response.status, field: response.body?.error?.field }).toEqual({
        body,
        status: 400,
        field,
      });
      expect(response.body.error.code).toBe('INVALID_MESSAGE');
    }
    expect((await call('POST', '/api/disconnect', {})).body.error.field).toBe('clientId');
    expect((await call('POST', '/api/disconnect', { clientId: 'c', code: 1006 })).body.error.field).toBe(
      'code',
    );
    expect((await call('GET', '/api/rooms/%E0%A4%A/members')).body.error.field).toBe('name');
    expect((await call('GET', '/api/rooms/a%20b/members')).body.error.field).toBe('name');
  });

  it('404 for an unknown path under /api, 405 with Allow for a wrong method', async () => {
    const { call } = await startApp();
    for (const path of ['/api', '/api/', '/api/nothing', '/api/rooms/r', '/api/broadcast/x']) {
      const response = await call('GET', path);
      expect({ path, status: response.status }).toEqual({ path, status: 404 });
      expect(response.body.error.code).toBe('UNKNOWN_ROUTE');
    }
    const wrong = await call('GET', '/api/broadcast');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
    const post = await call('POST', '/api/rooms', {});
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
    expect((await call('DELETE', '/api/rooms/r/members')).headers.get('allow')).toBe('GET');
  });

  it('413 for a declared body over maxPayload, before reading it', async () => {
    const { call } = await startApp();
    const big = JSON.stringify({
      all: true,
      data: { type: 'x', action: 'y', data: 'z'.repeat(MAX_PAYLOAD) },
    });
    const response = await call('POST', '/api/broadcast', big);
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('413 for a chunked body once it passes maxPayload: answered while the body is still coming', async () => {
    const { base } = await startApp();
    // More than the limit, and never ended: the answer cannot have waited for the whole body.
    const answer = await unendedPost(base, `{"all": true, "data": "${'z'.repeat(MAX_PAYLOAD * 2)}`, {
      Authorization: `Bearer ${KEY}`,
    });
    expect(answer).toEqual({ status: 413, code: 'PAYLOAD_TOO_LARGE', connection: 'close' });
  });

  it('401 before reading the body of a caller without the key; that connection closes', async () => {
    const { base } = await startApp();
    const answer = await unendedPost(base, '{"all": true, ', {});
    expect(answer).toEqual({ status: 401, code: 'UNAUTHORIZED', connection: 'close' });
  });
});

/** Sends `text` as a chunked body that never ends, and resolves with the answer. */
function unendedPost(base: string, text: string, headers: Record<string, string>) {
  return new Promise<{ status: number; code: string; connection: string | undefined }>((resolve, reject) => {
    const req = request(`${base}/api/broadcast`, {
      method: 'POST',
      headers: { ...headers, 'Transfer-Encoding': 'chunked' },
    });
    req.on('response', response => {
      let body = '';
      response.on('data', chunk => (body += chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          code: JSON.parse(body).error.code,
          connection: response.headers.connection,
        }),
      );
    });
    req.on('error', reject);
    req.write(text);
  });
}
