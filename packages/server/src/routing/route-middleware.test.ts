import { ErrorCode, RoomcastError } from '@roomcast/protocol';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';
import type { RouteMiddleware } from './middleware/compose';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

// ---- the README's example, as written there ----------------------------------------------------

/**
 * At most `limit` messages per `windowMs` from one client into one room (`data.roomName`);
 * the rest are answered RATE_LIMITED. Other rooms, and other clients, keep their own budget.
 */
function perRoomRateLimit(limit: number, windowMs: number): RouteMiddleware {
  // Keyed by the client's record, so a client's windows go when it does.
  const windows = new WeakMap<object, Map<string, { start: number; count: number }>>();
  const empty = () => new Map<string, { start: number; count: number }>();
  return async function perRoomRateLimit(ctx, next) {
    const roomName = (ctx.data as { roomName?: unknown } | null)?.roomName;
    if (typeof roomName !== 'string') return next();
    const rooms = windows.get(ctx.client) ?? empty();
    windows.set(ctx.client, rooms);
    const now = Date.now();
    let window = rooms.get(roomName);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      rooms.set(roomName, window);
    }
    if (++window.count > limit) {
      throw new RoomcastError(
        ErrorCode.RATE_LIMITED,
        `At most ${limit} messages per ${windowMs} ms in ${roomName}`,
      );
    }
    await next();
  };
}

// -------------------------------------------------------------------------------------------------

const codeOf = (frame: Record<string, unknown>) => (frame.error as { code?: string } | undefined)?.code;

describe('route middleware', () => {
  it('a per-room rate limit (the README example) limits one room and leaves the others alone', async () => {
    const { connect } = await start({
      routes: [
        {
          type: 'chat',
          action: 'send',
          middleware: [perRoomRateLimit(2, 60_000)],
          handler: (_ws, _clientId, data) => ({ sent: (data as { text: string }).text }),
        },
      ],
    });
    const [a, b] = [await connect(), await connect()];
    const send = (client: typeof a, roomName: string) =>
      client.request('chat', 'send', { roomName, text: 'hi' });
    expect((await send(a, 'r1')).response).toEqual({ sent: 'hi' });
    expect((await send(a, 'r1')).response).toEqual({ sent: 'hi' });
    const third = await send(a, 'r1');
    expect(codeOf(third)).toBe('RATE_LIMITED');
    expect(third).toMatchObject({ type: 'chat', action: 'send', id: third.id });
    expect((await send(a, 'r2')).response).toEqual({ sent: 'hi' });
    expect((await send(b, 'r1')).response).toEqual({ sent: 'hi' });
    expect(a.ws.readyState).toBe(a.ws.OPEN);
  });

  it('runs server.use() middleware for every route, built-in ones too, around the route’s own', async () => {
    const seen: string[] = [];
    const { server, connect } = await start({
      routes: [
        {
          type: 'a',
          action: 'b',
          schema: z.object({ n: z.number() }),
          middleware: [
            async function routeOwn(ctx, next) {
              seen.push(`route in ${JSON.stringify(ctx.data)}`);
              await next();
              seen.push('route out');
            },
          ],
          handler: (_ws, _clientId, data) => {
            seen.push('handler');
            return data;
          },
        },
      ],
    });
    server.use(async function audit(ctx, next) {
      seen.push(`audit ${ctx.type}.${ctx.action} ${ctx.route.source}`);
      await next();
      ctx.response = { wrapped: ctx.response };
    });
    const a = await connect();
    // Middleware sees the data as sent; the handler gets the schema's output.
    expect((await a.request('a', 'b', { n: 1 })).response).toEqual({ wrapped: { n: 1 } });
    expect((await a.request('system', 'ping')).response).toEqual({ wrapped: 'pong' });
    expect(seen).toEqual([
      'audit a.b handler',
      'route in {"n":1}',
      'handler',
      'route out',
      'audit system.ping system',
    ]);
  });

  it('gives middleware the guide’s context: ws, clientId, client (user, metadata), type, action, data, id, server', async () => {
    let context: Record<string, unknown> = {};
    const { server, connect } = await start({ routes: [{ type: 'a', action: 'b', handler: () => 'ok' }] });
    server.use((ctx, next) => {
      context = { ...ctx, theme: ctx.client.theme, rooms: [...ctx.client.rooms] };
      return next();
    });
    const a = await connect();
    server.clientManager.updateClient({ clientId: a.clientId, key: 'theme', data: 'dark' });
    await a.request('system', 'joinRoom', { roomName: 'lobby' });
    await a.request('a', 'b', { x: 1 });
    expect(context).toMatchObject({
      clientId: a.clientId,
      type: 'a',
      action: 'b',
      data: { x: 1 },
      id: expect.any(String),
      theme: 'dark',
      rooms: ['lobby'],
    });
    expect(context.server).toBe(server);
    expect(context.ws).toBe(server.clientManager.getClient({ clientId: a.clientId })?.ws);
  });

  it('answers without the handler when a middleware does not call next(), and errors like a handler', async () => {
    let handled = 0;
    const { connect } = await start({
      routes: [
        {
          type: 'a',
          action: 'cached',
          middleware: [
            ctx => {
              ctx.response = 'from cache';
            },
          ],
          handler: () => ++handled,
        },
        {
          type: 'a',
          action: 'silent',
          middleware: [() => {}],
          handler: () => ++handled,
        },
        {
          type: 'a',
          action: 'forbidden',
          middleware: [
            () => {
              throw new RoomcastError(ErrorCode.FORBIDDEN, 'Admins only');
            },
          ],
          handler: () => ++handled,
        },
      ],
    });
    const a = await connect();
    expect((await a.request('a', 'cached')).response).toBe('from cache');
    // A request always settles: no response set is `null`.
    expect((await a.request('a', 'silent')).response).toBeNull();
    const refused = await a.request('a', 'forbidden');
    expect(refused.error).toEqual({ code: 'FORBIDDEN', message: 'Admins only' });
    expect(handled).toBe(0);
  });

  it('answers INTERNAL_ERROR (and keeps the connection) when a middleware calls next() twice', async () => {
    let handled = 0;
    const errors: Error[] = [];
    const { connect } = await start({
      events: { onError: ({ error }) => errors.push(error) },
      routes: [
        {
          type: 'a',
          action: 'b',
          middleware: [
            async function twice(_ctx, next) {
              await next();
              await next();
            },
          ],
          handler: () => ++handled,
        },
      ],
    });
    const a = await connect();
    expect(codeOf(await a.request('a', 'b'))).toBe('INTERNAL_ERROR');
    expect(handled).toBe(1);
    expect(errors.map(e => e.message)).toEqual(['next() called more than once in middleware "twice"']);
    expect((await a.request('system', 'ping')).response).toBe('pong');
  });

  it('refuses what is not middleware at use() and at construction, saying what it takes', async () => {
    const server = new WebSocketServer();
    expect(() => server.use('nope' as unknown as RouteMiddleware)).toThrow(/takes middleware functions/);
    // The options schema catches a route's bad middleware at construction, before any listen().
    expect(
      () =>
        new WebSocketServer({
          routes: [
            { type: 'a', action: 'b', handler: () => 1, middleware: [42 as unknown as RouteMiddleware] },
          ],
        }),
    ).toThrow('WebSocketServer: routes[0].middleware[0] must be a function, got 42');
    await server.stop();
  });
});
