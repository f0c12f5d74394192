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

/** What a composed onion returns: nothing when every step finished synchronously, else a promise. */
export type Composed<C> = (ctx: C) => void | Promise<void>;

/** `next()` of a rest that finished synchronously: one shared promise, told apart from others. */
const DONE: Promise<void> = Promise.resolve();

const THROUGH = new WeakSet<object>();

/**
 * Marks a pipeline step whose `next()` may throw synchronously: it returns `next()` as it is,
 * so an error of the rest is its error, at once. The built-in steps are marked; everyone else's
 * `next()` turns a synchronous throw into a rejected promise, so `next().catch(...)` works too.
 */
export function passesThrough<M extends Middleware<never>>(step: M): M {
  THROUGH.add(step);
  return step;
}

/**
 * Composes middleware into one function, an onion: each runs until it awaits `next()`, which runs
 * the next one, then finishes when the inner ones have. A middleware that does not call `next()`
 * ends the message there. Calling `next()` twice is a bug (the handler would run twice): the second
 * call throws, naming the middleware. Errors travel outwards through the awaits.
 *
 * When every step finishes synchronously (the built-in checks, a synchronous handler), so does the
 * whole onion, and it throws its error synchronously: the pipeline then answers a client's frames
 * in the order they came, as a pipeline without middleware would. `next()` returns a promise (a
 * rejected one when the rest failed), so `await next()` and `next().catch()` work everywhere.
 *
 * @example
 * const run = compose([logTiming, checkRole, callHandler]);
 * await run(ctx);
 */
export function compose<C>(middleware: readonly Middleware<C>[]): Composed<C> {
  for (const fn of middleware) {
    if (typeof fn !== 'function') throw new TypeError(`Middleware must be functions, got ${typeof fn}`);
  }
  const chain = [...middleware];
  return function composed(ctx: C): void | Promise<void> {
    let last = -1;
    const dispatch = (index: number): Promise<void> | undefined => {
      if (index <= last) {
        throw new Error(
          `next() called more than once in middleware "${chain[index - 1]?.name || 'anonymous'}"`,
        );
      }
      last = index;
      const fn = chain[index];
      if (fn === undefined) return undefined;
      const next = THROUGH.has(fn) ? () => dispatch(index + 1) ?? DONE : () => settled(dispatch, index + 1);
      const result = fn(ctx, next);
      // `return next()` of a rest that was synchronous hands DONE back: still synchronous.
      return result === DONE || !isThenable(result) ? undefined : result;
    };
    return dispatch(0);
  };
}

function settled(dispatch: (index: number) => Promise<void> | undefined, index: number): Promise<void> {
  try {
    return dispatch(index) ?? DONE;
  } catch (error) {
    return Promise.reject(error);
  }
}

export function isThenable(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}
