import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEFAULT_LIMITS, type Logger } from '@roomcast/protocol';
import { createBusEmitter } from '@roomcast/redis';
import type { WebSocketServer, WebSocketServerOptions } from '@roomcast/server';
import { sharedBusAndHistory } from '../in-process-parts';
import { createApiHandler } from './api-handler';
import type { ResolvedApiOptions } from './api-options';
import { disconnectUserSubscriber } from './disconnect-route';

export type ApiHandler = (request: IncomingMessage, response: ServerResponse, path: string) => Promise<void>;

export interface ApiWiring {
  /** The server's options with the bus and history the API publishes on, and its subscriber. */
  readonly serverOptions: WebSocketServerOptions;
  /** The `/api` handler, once the server exists. */
  handler(server: WebSocketServer): ApiHandler;
  /** Closes the emitter, and the in-process bus and history it made (after the server stopped). */
  close(): Promise<void>;
}

/**
 * The API publishes as an emitter on the node's own bus and history, so its messages take the
 * path an emitter's take: durable ones through the same atomic append (and so with an offset to
 * answer), every node (this one too) delivering from the bus. Without Redis the server would
 * make its own in-process bus and history; here they are made for it, so the API shares them.
 */
export function wireApi(
  config: ResolvedApiOptions,
  options: WebSocketServerOptions,
  logger: Logger,
): ApiWiring {
  const parts = sharedBusAndHistory(options, logger);
  const { bus, history } = parts;
  let server: WebSocketServer | undefined;
  const subscribers = options.subscriberHandlers ?? {};
  const serverOptions: WebSocketServerOptions = {
    ...options,
    bus,
    history,
    subscriberHandlers: {
      ...subscribers,
      handlers: [...(subscribers.handlers ?? []), disconnectUserSubscriber(() => server)],
    },
  };
  const emitter = createBusEmitter({ bus, history, rooms: { patterns: options.rooms?.patterns ?? [] } });
  return {
    serverOptions,
    handler(created) {
      server = created;
      return createApiHandler({
        key: config.key,
        timeoutMs: config.timeoutMs,
        maxBodyBytes: options.limits?.maxPayload ?? DEFAULT_LIMITS.maxPayload,
        emitter,
        server: created,
        logger,
      });
    },
    async close() {
      await emitter.close();
      await parts.close();
    },
  };
}
