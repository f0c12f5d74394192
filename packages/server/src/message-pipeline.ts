import { CloseCode, decode, ErrorCode, type Limits, type Logger, SystemRoute } from '@roomcast/protocol';
import type { RawData } from 'ws';
import type { ConnectedClient } from './client-manager';
import type { ServerEvents } from './events';
import type { Metrics } from './metrics';
import type { Outbound } from './outbound';
import { prepareFrame } from './prepared-frame';
import { RateLimiter } from './rate-limiter';
import { decodeErrorFrame, errorFrame, failureOf, replyFrame } from './replies';
import type { Router } from './router';

export interface PipelineDeps {
  router: Router;
  outbound: Outbound;
  metrics: Metrics;
  limits: Limits;
  events: ServerEvents;
  logger: Logger;
  /** True while a client must still log in (auth required, no token yet). */
  awaitingLogin: (client: ConnectedClient) => boolean;
}

/**
 * One inbound frame's path: rate limit, decode, route, validate, handler, reply. Every failure
 * becomes an error frame to that client; the connection and the other clients carry on.
 */
export class MessagePipeline {
  readonly #deps: PipelineDeps;
  readonly #limiters = new WeakMap<ConnectedClient, RateLimiter>();
  /** Handlers still running per client, so an abuse close waits for replies already owed. */
  readonly #inFlight = new WeakMap<ConnectedClient, number>();
  readonly #abusers = new WeakSet<ConnectedClient>();

  constructor(deps: PipelineDeps) {
    this.#deps = deps;
  }

  async handle(client: ConnectedClient, raw: RawData, isBinary: boolean): Promise<void> {
    const { metrics, limits } = this.#deps;
    metrics.messagesIn++;
    if (this.#abusers.has(client)) return;
    client.lastActivity = Date.now();
    const verdict = this.#rateLimit(client);
    if (verdict === 'abuse') {
      this.#abusers.add(client);
      this.#closeAbuserWhenIdle(client);
      return;
    }
    const decoded = decode(raw, { maxPayload: limits.maxPayload, binary: isBinary });
    if (!decoded.ok) return this.#send(client, decodeErrorFrame(decoded.error));
    const frame = decoded.frame;
    if (verdict === 'limited') {
      metrics.rateLimited++;
      return this.#send(client, errorFrame(frame, ErrorCode.RATE_LIMITED, 'Too many messages; slow down'));
    }
    this.#deps.events.onMessage?.({ ws: client.ws, clientId: client.clientId, data: frame });
    const route = this.#deps.router.get(frame.type, frame.action);
    if (!route)
      return this.#send(
        client,
        errorFrame(frame, ErrorCode.UNKNOWN_ROUTE, `No route for ${frame.type}.${frame.action}`),
      );
    if (this.#deps.awaitingLogin(client) && !isLogin(frame.type, frame.action)) {
      return this.#send(
        client,
        errorFrame(frame, ErrorCode.UNAUTHORIZED, 'Send auth.login with a token first'),
      );
    }
    this.#inFlight.set(client, (this.#inFlight.get(client) ?? 0) + 1);
    try {
      const data = route.validate ? await route.validate(frame.data) : frame.data;
      const response = await route.handler(client.ws, client.clientId, data);
      // A request (with an id) always gets an answer, so the client's promise settles.
      if (response !== undefined || frame.id !== undefined)
        this.#send(client, replyFrame(frame, response ?? null));
    } catch (error) {
      const failure = failureOf(frame, error);
      if (!failure.expected) {
        this.#deps.logger.error(
          { err: error, clientId: client.clientId, route: `${frame.type}.${frame.action}` },
          'handler failed',
        );
        this.#deps.events.onError?.({
          error: error instanceof Error ? error : new Error(String(error)),
          clientId: client.clientId,
        });
      }
      this.#send(client, failure.frame);
      // A RoomcastError that carries a close code ends the connection, after its error reply.
      if (failure.close) client.ws.close(failure.close.code, failure.close.reason);
    } finally {
      this.#inFlight.set(client, (this.#inFlight.get(client) ?? 1) - 1);
      if (this.#abusers.has(client)) this.#closeAbuserWhenIdle(client);
    }
  }

  #closeAbuserWhenIdle(client: ConnectedClient): void {
    if ((this.#inFlight.get(client) ?? 0) > 0) return;
    client.ws.close(CloseCode.RATE_LIMIT_ABUSE, 'rate limit abuse');
  }

  #rateLimit(client: ConnectedClient): 'ok' | 'limited' | 'abuse' {
    const options = this.#deps.limits.rateLimit;
    if (!options) return 'ok';
    let limiter = this.#limiters.get(client);
    if (!limiter) {
      limiter = new RateLimiter(options);
      this.#limiters.set(client, limiter);
    }
    return limiter.take();
  }

  #send(client: ConnectedClient, frame: object): void {
    this.#deps.outbound.send(client.ws, prepareFrame(frame), client.clientId);
  }
}

function isLogin(type: string, action: string): boolean {
  return type === SystemRoute.authLogin.type && action === SystemRoute.authLogin.action;
}
