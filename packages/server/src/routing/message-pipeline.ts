import {
  type Authenticator,
  CloseCode,
  type DecodeResult,
  decode,
  ErrorCode,
  type Logger,
  RoomcastError,
} from '@roomcast/protocol';
import type { RawData } from 'ws';
import type { Connection } from '../connection/connection';
import { codecOf } from '../delivery/codecs';
import type { Outbound } from '../delivery/outbound';
import { prepareFrame } from '../delivery/prepared-frame';
import type { ServerEvents } from '../events';
import type { Metrics } from '../metrics';
import type { ResolvedOptions } from '../options';
import type { WebSocketServer } from '../server';
import {
  type Composed,
  compose,
  isThenable,
  type Middleware,
  type MiddlewareNext,
  passesThrough,
  type RouteInfo,
  type RouteMiddleware,
} from './middleware/compose';
import { type PipelineContext, UNROUTED } from './middleware/pipeline-context';
import { rateLimitMiddleware } from './middleware/rate-limit';
import { requireLoginMiddleware } from './middleware/require-login';
import { validationMiddleware } from './middleware/validate';
import { failureOf, replyFrame } from './replies';
import type { CompiledRoute, Router } from './router';

export interface PipelineDeps {
  router: Router;
  outbound: Outbound;
  metrics: Metrics;
  resolved: Pick<ResolvedOptions, 'limits'>;
  events: ServerEvents;
  logger: Logger;
  /** With `required`, a client without a token must send `auth.login` before anything else. */
  authenticator: Authenticator | undefined;
  server: WebSocketServer;
}

type Step = Middleware<PipelineContext>;

/**
 * One inbound frame's path, an onion of middleware: the rate limit, the frame check, `onMessage`,
 * the router; then, per route, the login gate, the server's middleware (`use`), the route's own,
 * the schema check and the handler. What the onion leaves in `ctx.response` is the reply; a throw
 * anywhere becomes an error frame to that client. The connection and the other clients carry on.
 */
export class MessagePipeline {
  readonly #deps: PipelineDeps;
  readonly #front: Composed<PipelineContext>;
  readonly #login: Step;
  readonly #global: RouteMiddleware[] = [];
  /** Each route's onion, composed at its first message (again after a `use`). */
  readonly #chains = new Map<CompiledRoute, Composed<PipelineContext>>();

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
    const { metrics, events } = deps;
    const { limits } = deps.resolved;
    const steps: Step[] = [];
    if (limits.rateLimit) steps.push(rateLimitMiddleware(limits.rateLimit, metrics));
    steps.push(rejectMalformed, messageEventMiddleware(events), this.#routeMessage);
    this.#front = compose(steps);
    this.#login = requireLoginMiddleware(deps.authenticator);
  }

  /** Adds middleware that runs for every route, built-in ones included, in the order added. */
  use(middleware: readonly RouteMiddleware[]): void {
    for (const fn of middleware) {
      if (typeof fn !== 'function')
        throw new TypeError('server.use() takes middleware functions (ctx, next) => ...');
    }
    this.#global.push(...middleware);
    this.#chains.clear();
  }

  /** Resolves once the frame is answered; answers at once when nothing in its path waited. */
  handle(client: Connection, raw: RawData, isBinary: boolean): void | Promise<void> {
    const { metrics } = this.#deps;
    const { limits } = this.#deps.resolved;
    metrics.messagesIn++;
    if (client.abusive) return;
    client.touch(Date.now());
    const ctx = this.#context(
      client,
      decode(raw, { maxPayload: limits.maxPayload, binary: isBinary, codec: codecOf(client.ws) }),
    );
    client.inFlight++;
    const started = performance.now();
    let running: void | Promise<void>;
    try {
      running = this.#front(ctx);
    } catch (error) {
      return this.#settle(ctx, started, true, error);
    }
    if (!running) return this.#settle(ctx, started, false, undefined);
    return running.then(
      () => this.#settle(ctx, started, false, undefined),
      (error: unknown) => this.#settle(ctx, started, true, error),
    );
  }

  #settle(ctx: PipelineContext, started: number, failed: boolean, error: unknown): void {
    // Only frames the router matched are timed, labelled with the declared route's name.
    const { route } = ctx;
    if (route !== UNROUTED)
      this.#deps.metrics.handlerDuration
        .series(route, routeName)
        .observe((performance.now() - started) / 1000);
    const client = ctx.connection;
    if (failed) this.#failed(ctx, error);
    // A request (with an id) always gets an answer, so the client's promise settles.
    else if (!ctx.silent && (ctx.response !== undefined || ctx.id !== undefined)) {
      this.#send(client, replyFrame(ctx, ctx.response ?? null));
    }
    client.inFlight--;
    // Closed once the replies it is already owed are out.
    if (client.abusive && client.inFlight === 0)
      client.ws.close(CloseCode.RATE_LIMIT_ABUSE, 'rate limit abuse');
  }

  readonly #routeMessage: Step = (ctx: PipelineContext): void | Promise<void> => {
    const route = this.#deps.router.get(ctx.type, ctx.action);
    if (!route) throw new RoomcastError(ErrorCode.UNKNOWN_ROUTE, `No route for ${ctx.type}.${ctx.action}`);
    ctx.route = route;
    let chain = this.#chains.get(route);
    if (!chain) {
      const validate = route.schema ? [validationMiddleware(route.schema)] : [];
      chain = compose<PipelineContext>([
        this.#login,
        ...this.#global,
        ...route.middleware,
        ...validate,
        handlerMiddleware(route),
      ]);
      this.#chains.set(route, chain);
    }
    return chain(ctx);
  };

  #context(connection: Connection, decoded: DecodeResult): PipelineContext {
    const frame = decoded.ok ? decoded.frame : undefined;
    return {
      ws: connection.ws,
      clientId: connection.clientId,
      client: connection,
      type: frame?.type ?? '',
      action: frame?.action ?? '',
      data: frame?.data,
      id: frame?.id,
      route: UNROUTED,
      server: this.#deps.server,
      response: undefined,
      connection,
      frame,
      malformed: decoded.ok ? undefined : decoded.error,
      address: decoded.ok ? decoded.frame : decoded.error,
      silent: false,
    };
  }

  #failed(ctx: PipelineContext, error: unknown): void {
    const failure = failureOf(ctx.address, error);
    if (!failure.expected) {
      const route = `${ctx.type}.${ctx.action}`;
      this.#deps.logger.error({ err: error, clientId: ctx.clientId, route }, 'handler failed');
      this.#deps.events.onError?.({
        error: error instanceof Error ? error : new Error(String(error)),
        clientId: ctx.clientId,
      });
    }
    if (ctx.silent) return;
    this.#send(ctx.connection, failure.frame);
    // A RoomcastError that carries a close code ends the connection, after its error reply.
    if (failure.close) ctx.ws.close(failure.close.code, failure.close.reason);
  }

  #send(client: Connection, frame: object): void {
    this.#deps.outbound.send(client.ws, prepareFrame(frame), client.clientId);
  }
}

function routeName(route: Pick<RouteInfo, 'type' | 'action'>): string {
  return `${route.type}.${route.action}`;
}

/** A frame that could not be decoded is answered with why (its id echoed when it could be read). */
const rejectMalformed = passesThrough(function rejectMalformed(
  ctx: PipelineContext,
  next: MiddlewareNext,
): void | Promise<void> {
  const malformed = ctx.malformed;
  if (malformed) throw new RoomcastError(malformed.code, malformed.message);
  return next();
});

/** `events.onMessage` for every valid frame within the rate limit, routed or not. */
function messageEventMiddleware(events: ServerEvents): Step {
  return passesThrough<Step>(function emitMessage(ctx, next) {
    events.onMessage?.({ ws: ctx.ws, clientId: ctx.clientId, data: ctx.frame });
    return next();
  });
}

/** The innermost step: the route's handler, whose return value is the reply. */
function handlerMiddleware(route: CompiledRoute): Step {
  const { handler } = route;
  return function callHandler(ctx) {
    const response = handler(ctx.ws, ctx.clientId, ctx.data);
    // A synchronous handler is answered synchronously: no turn of the event loop in between.
    if (!isThenable(response)) {
      ctx.response = response;
      return;
    }
    return response.then(value => {
      ctx.response = value;
    });
  };
}
