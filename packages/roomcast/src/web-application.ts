import cluster from 'node:cluster';
import { createServer, type Server } from 'node:http';
import { createJwtAuthenticator, type JwtAuthenticatorOptions } from '@roomcast/auth';
import type { WebSocketClient } from '@roomcast/client';
import type { Authenticator, Logger, PushMap } from '@roomcast/protocol';
import type { RedisClient } from '@roomcast/redis';
import { type Health, WebSocketServer, type WebSocketServerOptions } from '@roomcast/server';
import { type AdminHandler, type AdminWiring, wireAdmin } from './admin/admin-wiring';
import { RecentWarnings } from './admin/recent-warnings';
import { attachHttpRoutes } from './attached-http';
import { createAppClient } from './client-config';
import { ClusterPrimary } from './cluster-primary';
import { type ApiHandler, type ApiWiring, wireApi } from './http-api/api-wiring';
import { createHttpHandler, createHttpRoutes } from './http-handler';
import { closeHttp, listenHttp } from './listen';
import { createAppLogger } from './logger';
import {
  type AuthConfig,
  type ResolvedAppOptions,
  resolveAppOptions,
  type WebApplicationOptions,
} from './options';
import { type RedisWiring, wireRedis } from './redis-wiring';
import { installSignalHandlers } from './signals';

/**
 * The guide's `WebApplication`: one HTTP server with `/healthz`, `/metrics` and the WebSocket
 * endpoint (and the HTTP publish API under `/api` with `api: { key }`), on an in-process bus, or
 * on Redis when `redis` is given, or as a node:cluster primary with `cluster: { workers }`. With `webSocket: { type: 'client', url }` it is a WebSocket client of
 * another server instead (`app.websocket.client`); `start()` resolves once it is connected.
 *
 * @example
 * const app = new WebApplication({
 *   name: 'my-app',
 *   webserver: { port: 3000 },
 *   websocket: { enabled: true, type: 'server', url: 'ws://localhost:3000/ws' },
 *   redis: { host: '127.0.0.1', port: 6379 },
 * });
 * await app.start();
 * app.websocket.server.sendMessageToAll({ data: { type: 'news', action: 'hello', data: {} } });
 * // Typed pushes: new WebApplication<Pushes>(...) types app.websocket.server's broadcasts.
 */
export class WebApplication<TPushes extends PushMap = PushMap> {
  readonly name: string;
  readonly logger: Logger;
  /** What the app's parts log through: `logger`, and with `admin` a copy of warnings for the page. */
  readonly #log: Logger;
  readonly #warnings: RecentWarnings | undefined;
  readonly #options: ResolvedAppOptions;
  #server: WebSocketServer | undefined;
  #client: WebSocketClient | undefined;
  #http: Server | undefined;
  /** Set when the app attached to the caller's server (`webserver.server`) instead of listening. */
  #attached: { detach(): void } | undefined;
  #redis: RedisWiring | undefined;
  #api: ApiWiring | undefined;
  #apiHandler: ApiHandler | undefined;
  #admin: AdminWiring | undefined;
  #adminHandler: AdminHandler | undefined;
  #primary: ClusterPrimary | undefined;
  #port: number | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #removeSignalHandlers: (() => void) | undefined;

  /**
   * The guide's `app.websocket.server`, there once `start()` resolved (never on a cluster primary);
   * `client` instead with `type: 'client'`.
   */
  readonly websocket: { readonly server: WebSocketServer<TPushes>; readonly client: WebSocketClient };
  /** `instance.publisherClient` / `subscriberClient`: the app's ioredis clients; undefined without redis. */
  readonly redis: {
    readonly instance: {
      readonly publisherClient: RedisClient | undefined;
      readonly subscriberClient: RedisClient | undefined;
    };
  };
  readonly performance: {
    /** The WebSocket server's health: `{ status, activeConnections, rooms, messagesIn, ... }`. */
    getWebSocketHealth(): Health;
  };

  constructor(options: WebApplicationOptions) {
    this.#options = resolveAppOptions(options);
    this.name = this.#options.name;
    this.logger = createAppLogger(this.name, options.logger);
    this.#warnings = this.#options.admin ? new RecentWarnings() : undefined;
    this.#log = this.#warnings?.wrap(this.logger) ?? this.logger;
    // The server is made untyped; `TPushes` only types the app's own broadcast calls.
    const server = () => this.#requireServer() as unknown as WebSocketServer<TPushes>;
    this.websocket = view({ server, client: () => this.#requireClient() });
    this.redis = {
      instance: view({
        publisherClient: () => this.#redis?.publisherClient,
        subscriberClient: () => this.#redis?.subscriberClient,
      }),
    };
    this.performance = Object.freeze({ getWebSocketHealth: () => this.#requireServer().getHealth() });
  }

  /** The bound HTTP port and server, once started (an attached server's port once it listens). */
  get webserver(): { port: number | undefined; server: Server | undefined } {
    const address = this.#attached ? this.#http?.address() : undefined;
    const port = address && typeof address === 'object' ? address.port : this.#port;
    return { port, server: this.#http };
  }

  /** Starts everything; rejects (and leaves nothing open) when Redis or the port is unavailable. */
  start(): Promise<void> {
    if (this.#stopping)
      return Promise.reject(new Error('WebApplication: this app was stopped; create a new one'));
    this.#starting ??= this.#start().catch(async error => {
      // A failed start leaves nothing: no server, Redis connection or process signal handler.
      this.#removeSignalHandlers?.();
      this.#removeSignalHandlers = undefined;
      await this.#cleanup();
      throw error;
    });
    return this.#starting;
  }

  /** Stops the WebSocket server (clients get 1001), the HTTP server, and the Redis clients it opened. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#removeSignalHandlers?.();
      // A client still waiting for its server would hold start() (and so stop()) forever.
      this.#client?.disconnect();
      await this.#starting?.catch(() => {});
      await this.#cleanup();
      this.logger.info({ app: this.name }, 'stopped');
    })();
    return this.#stopping;
  }

  async #start(): Promise<void> {
    const options = this.#options;
    if (options.handleSignals) this.#removeSignalHandlers = installSignalHandlers(() => this.stop());
    if (options.workers > 0 && cluster.isPrimary) {
      this.#primary = new ClusterPrimary({ workers: options.workers, logger: this.logger });
      this.#port = await this.#primary.start();
      this.logger.info({ app: this.name, workers: options.workers, port: this.#port }, 'cluster started');
      return;
    }
    if (options.redis)
      this.#redis = await wireRedis(options.redis, { appName: this.name, logger: this.#log });
    if (options.websocket) this.#server = this.#createServer();
    if (this.#admin && this.#server) this.#adminHandler = await this.#admin.start(this.#server);
    if (options.websocketClient) this.#client = await createAppClient(options.websocketClient, this.#log);
    const routes = {
      health: () => this.#server?.getHealth(),
      metrics: () => this.#server?.metrics() ?? '',
      requestHandler: options.requestHandler,
      api: this.#apiHandler,
      admin: this.#adminHandler,
      logger: this.#log,
    };
    if (options.server) {
      this.#http = options.server;
      this.#attached = attachHttpRoutes(options.server, createHttpRoutes(routes));
      await this.#server?.attach(options.server, { path: options.path });
    } else {
      this.#http = createServer(createHttpHandler(routes));
      await this.#server?.attach(this.#http, { path: options.path });
      this.#port = await listenHttp(this.#http, options.port, options.host);
    }
    // Keeps retrying (reconnect with backoff) until the server answers; stop() may come first.
    if (!this.#stopping) await this.#client?.connectToServer();
    this.logger.info(
      {
        app: this.name,
        url: this.#attached ? 'attached to the caller’s HTTP server' : `http://${options.host}:${this.#port}`,
        ws: options.websocketClient ? { client: options.websocketClient.url } : options.path,
        redis: !!this.#redis,
        // The path only: the credentials are never logged.
        ...(options.admin && { admin: options.admin.path }),
      },
      'started',
    );
  }

  #createServer(): WebSocketServer {
    const { websocket, name, auth } = this.#options;
    const { enabled: _e, type: _t, url: _u, host: _h, path: _p, ...serverOptions } = websocket ?? {};
    const authenticator =
      serverOptions.authenticator ?? (auth ? authenticatorFor(auth, this.#log) : undefined);
    const base: WebSocketServerOptions = {
      name,
      logger: this.#log,
      ...serverOptions,
      ...(this.#redis && {
        bus: this.#redis.bus,
        roomStore: this.#redis.roomStore,
        history: this.#redis.history,
      }),
      ...(authenticator && { authenticator }),
      subscriberContext: { redisInstance: this.redis.instance, ...serverOptions.subscriberContext },
    };
    const { admin, api } = this.#options;
    if (admin && this.#warnings)
      this.#admin = wireAdmin(admin, base, { logger: this.#log, warnings: this.#warnings });
    const options = this.#admin?.serverOptions ?? base;
    if (!api) return new WebSocketServer(options);
    this.#api = wireApi(api, options, this.#log);
    const server = new WebSocketServer(this.#api.serverOptions);
    this.#apiHandler = this.#api.handler(server);
    return server;
  }

  async #cleanup(): Promise<void> {
    this.#client?.disconnect();
    await this.#primary?.stop();
    await this.#server?.stop();
    await this.#admin?.close();
    // The caller's server stays theirs: only this app's routes come off it.
    if (this.#attached) this.#attached.detach();
    else if (this.#http) await closeHttp(this.#http);
    await this.#api?.close();
    await this.#redis?.close();
  }

  #requireServer(): WebSocketServer {
    if (this.#server) return this.#server;
    const why = this.#primary
      ? 'this process is the cluster primary; the workers own the WebSocket servers'
      : this.#options.websocketClient
        ? "webSocket.type is 'client'; use app.websocket.client"
        : this.#options.websocket
          ? 'call await app.start() first'
          : 'websocket.enabled is false';
    throw new Error(`WebApplication: no WebSocket server here: ${why}`);
  }

  #requireClient(): WebSocketClient {
    if (this.#client) return this.#client;
    const why = this.#options.websocketClient
      ? 'call await app.start() first'
      : "webSocket.type is not 'client'; use app.websocket.server";
    throw new Error(`WebApplication: no WebSocket client here: ${why}`);
  }
}

/** A frozen object whose properties read live state: `app.redis.instance` changes after start(). */
function view<T extends Record<string, unknown>>(getters: { [K in keyof T]: () => T[K] }): T {
  const target = {} as T;
  for (const [key, get] of Object.entries(getters))
    Object.defineProperty(target, key, { get, enumerable: true });
  return Object.freeze(target);
}

/** With the app's logger, so the start-up warning about a short secret lands in the app's log. */
function authenticatorFor({ jwtSecretKey, publicKey, ...rest }: AuthConfig, logger: Logger): Authenticator {
  const key = jwtSecretKey !== undefined ? { secret: jwtSecretKey } : { publicKey };
  return createJwtAuthenticator({ ...rest, ...key, logger } as JwtAuthenticatorOptions);
}
