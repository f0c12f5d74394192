import type { RequestId } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import type { ConnectedClient } from '../../connection/connection';
import type { WebSocketServer } from '../../server';

/** Which route runs a message: its name and where it came from. */
export interface RouteInfo {
  readonly type: string;
  readonly action: string;
  /** `'system'` (built-in), `'handler'` (a function) or the controller class's name. */
  readonly source: string;
}

/**
 * What a route middleware gets for one message. `data` and `response` may be changed: `data` on
 * the way in (the route's schema checks what it is then), `response` on the way out, after
 * `await next()`, or instead of calling it (the handler does not run; a request still gets its
 * reply: `response`, or `null` when nothing set one).
 */
export interface MiddlewareContext {
  readonly ws: WebSocket;
  readonly clientId: string;
  /** The server's record of the sender: `user`, `rooms`, `ip`, the app's metadata. */
  readonly client: ConnectedClient;
  readonly type: string;
  readonly action: string;
  /** The message's `data` as sent (a middleware may replace it). */
  data: unknown;
  /** Set when the client sent a request (it waits for the reply), undefined for a plain message. */
  readonly id: RequestId | undefined;
  readonly route: RouteInfo;
  /** The server, for broadcasts and lookups (`ctx.server.broadcastToRoom(...)`). */
  readonly server: WebSocketServer;
  /** What the handler returned; the reply's `response`. */
  response: unknown;
}

/** Runs the rest of the onion (the next middleware, and at the end the handler); call it once. */
export type MiddlewareNext = () => Promise<void>;

/**
 * A route middleware, Hono-style: work before `await next()` runs on the way in, work after it on
 * the way out. Throw a `RoomcastError` to answer with its code (`RATE_LIMITED`, `FORBIDDEN`, ...).
 */
export type RouteMiddleware = (ctx: MiddlewareContext, next: MiddlewareNext) => void | Promise<void>;

/** The same shape over any context: the pipeline's own steps see more than route middleware does. */
export type Middleware<C> = (ctx: C, next: MiddlewareNext) => void | Promise<void>;

/**
 * Composes middleware into one function, an onion: each runs until it awaits `next()`, which runs
 * the next one, then finishes when the inner ones have. A middleware that does not call `next()`
 * ends the message there. Calling `next()` twice is a bug (the handler would run twice): the second
 * call rejects, naming the middleware. Errors travel outwards through the awaits.
 *
 * @example
 * const run = compose([logTiming, checkRole, callHandler]);
 * await run(ctx);
 */
export function compose<C>(middleware: readonly Middleware<C>[]): (ctx: C) => Promise<void> {
  for (const fn of middleware) {
    if (typeof fn !== 'function') throw new TypeError(`Middleware must be functions, got ${typeof fn}`);
  }
  const chain = [...middleware];
  return function composed(ctx: C): Promise<void> {
    let last = -1;
    const dispatch = (index: number): Promise<void> => {
      if (index <= last) {
        const name = chain[index - 1]?.name || 'anonymous';
        return Promise.reject(new Error(`next() called more than once in middleware "${name}"`));
      }
      last = index;
      const fn = chain[index];
      if (fn === undefined) return Promise.resolve();
      try {
        // Not an async function: a middleware that returns synchronously costs no extra promise turn.
        return Promise.resolve(fn(ctx, () => dispatch(index + 1)));
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return dispatch(0);
  };
}
