import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { JwtAuthenticatorOptions } from '@roomcast/auth';
import { checkOptions, invalidOptions, type Logger } from '@roomcast/protocol';
import type { RedisConnection } from '@roomcast/redis';
import type { WebSocketServerOptions } from '@roomcast/server';
import { type AdminConfig, type ResolvedAdminOptions, resolveAdminOptions } from './admin/admin-options';
import { checkClientOnly, isClientConfig, type WebSocketClientConfig } from './client-config';
import { type ApiConfig, type ResolvedApiOptions, resolveApiOptions } from './http-api/api-options';
import { WEB_APPLICATION_OPTIONS_SCHEMA } from './options-schema';

/**
 * Handles the HTTP requests that are not `/healthz` or `/metrics` (static files, a login API).
 * Return (or resolve) `false` when the request was not handled: the app then answers 404.
 */
export type RequestHandler = (
  request: IncomingMessage,
  response: ServerResponse,
) => boolean | undefined | Promise<boolean | undefined>;

export interface WebServerConfig {
  /** Default 3000. 0 picks a free port (read it from `app.webserver.port` after start). */
  port?: number;
  /** Default '127.0.0.1': exposing the app is a decision, not an accident. */
  host?: string;
  requestHandler?: RequestHandler;
  /**
   * An HTTP server the app already has (node:http, `expressApp.listen()`, `fastify.server`): the
   * app attaches to it instead of listening itself. Its `/healthz`, `/metrics` and `/api` go
   * first, every other request reaches the server's own handlers; `stop()` detaches and leaves the
   * server to its owner. `port` and `host` are the server's then, not options.
   */
  server?: Server;
}

/** The server options of `@roomcast/server`, plus the guide's descriptive keys. */
export type WebSocketConfig = WebSocketServerOptions & {
  /** false: no WebSocket server (HTTP only). Default true. */
  enabled?: boolean;
  /** 'server' (the default): the app serves WebSockets. `type: 'client'` takes a WebSocketClientConfig. */
  type?: 'server';
  /** Its pathname is where WebSockets are accepted (default '/ws'); host and port come from `webserver`. */
  url?: string;
  /** Instead of `url`: the path alone. */
  path?: string;
  /** The listen address, as the guide writes it; `webserver.host` wins when both are given. */
  host?: string;
};

/** `auth.jwtSecretKey` (the guide) or `auth.publicKey`, plus the options of `createJwtAuthenticator`. */
export type AuthConfig = Omit<JwtAuthenticatorOptions, 'secret' | 'publicKey' | 'logger'> & {
  /** `undefined` (an unset environment variable) is the same as leaving it out. */
  jwtSecretKey?: string | undefined;
  publicKey?: Extract<JwtAuthenticatorOptions, { publicKey: unknown }>['publicKey'];
};

export interface WebApplicationOptions {
  /** Names the app in logs and in the Redis key and channel prefix (`roomcast:<name>:`). */
  name: string;
  webserver?: WebServerConfig;
  /** A server's options, or `{ type: 'client', url, ... }` to make the app a client of another server. */
  websocket?: WebSocketConfig | WebSocketClientConfig;
  /** The guide's other spelling of `websocket`; pass one of the two. */
  webSocket?: WebSocketConfig | WebSocketClientConfig;
  /** `{ host, port }`, `{ url }` or `{ cluster: [...] }`; none: one process, in-memory bus and rooms. */
  redis?: RedisConnection;
  auth?: AuthConfig;
  /** The HTTP publish API under `/api` (Bearer `key`, 32+ characters). Off by default. */
  api?: ApiConfig;
  /**
   * The live admin dashboard at `path` (default '/admin'), HTTP Basic with `username` (default
   * 'admin') and `password` (12+ characters). Off by default; give it on every node.
   */
  admin?: AdminConfig;
  performanceMonitoring?: { enabled?: boolean };
  /** Forks `workers` processes with node:cluster that share the port; needs `redis` to share rooms. */
  cluster?: { workers: number };
  /** A pino-compatible logger; default pino at info (silent when NODE_ENV=test); false: silent. */
  logger?: Logger | false;
  /** Stop on the first SIGTERM or SIGINT after `start()`. Default true. */
  handleSignals?: boolean;
}

export interface ResolvedAppOptions {
  name: string;
  port: number;
  host: string;
  path: string;
  requestHandler: RequestHandler | undefined;
  /** The caller's HTTP server to attach to (`webserver.server`). */
  server: Server | undefined;
  websocket: WebSocketConfig | undefined;
  /** Set instead of `websocket` with `type: 'client'`. */
  websocketClient: WebSocketClientConfig | undefined;
  redis: RedisConnection | undefined;
  auth: AuthConfig | undefined;
  workers: number;
  api: ResolvedApiOptions | undefined;
  admin: ResolvedAdminOptions | undefined;
  handleSignals: boolean;
}

export const DEFAULT_WEB_APPLICATION_OPTIONS = Object.freeze({
  port: 3000,
  host: '127.0.0.1',
  path: '/ws',
  handleSignals: true,
});

const WHERE = 'WebApplication';

/**
 * Checks the options once, at construction: the schema first (every unknown key and wrong type,
 * at any depth, in one INVALID_OPTIONS TypeError), then what no schema can say.
 */
export function resolveAppOptions(options: WebApplicationOptions): ResolvedAppOptions {
  if (typeof options !== 'object' || options === null) {
    throw invalidOptions(WHERE, [
      `pass an options object, e.g. { name: 'my-app', webserver: { port: 3000 } }`,
    ]);
  }
  const config = options.websocket ?? options.webSocket ?? {};
  // Before the schema: a server option in a client config gets its own answer, not "did you mean".
  if (isClientConfig(config)) checkClientOnly(config, options.websocket ? 'websocket' : 'webSocket');
  checkOptions(WHERE, options, WEB_APPLICATION_OPTIONS_SCHEMA);
  if (options.name === '') {
    throw invalidOptions(WHERE, [`name is required (it names logs and the Redis prefix), e.g. 'my-app'`]);
  }
  const webserver = options.webserver ?? {};
  if (webserver.server !== undefined) checkAttachable(webserver);
  if (options.websocket !== undefined && options.webSocket !== undefined) {
    throw invalidOptions(WHERE, ['pass websocket or webSocket (two spellings of one option), not both']);
  }
  const client = isClientConfig(config) ? config : undefined;
  const websocket: WebSocketConfig = client ? {} : (config as WebSocketConfig);
  if (options.auth !== undefined) {
    if (options.auth.jwtSecretKey === undefined && options.auth.publicKey === undefined) {
      throw invalidOptions(WHERE, [
        `auth needs jwtSecretKey (HS256) or publicKey; e.g. { jwtSecretKey: process.env.JWT_SECRET_KEY }`,
      ]);
    }
  }
  const workers = options.cluster?.workers ?? 0;
  const api = resolveApiOptions(options.api);
  if (api && (client || websocket.enabled === false)) {
    throw invalidOptions(WHERE, [
      `api publishes through this app's WebSocket server; it needs websocket enabled as a server`,
    ]);
  }
  const admin = resolveAdminOptions(options.admin);
  if (admin && (client || websocket.enabled === false)) {
    throw invalidOptions(WHERE, [
      `admin shows this app's WebSocket server; it needs websocket enabled as a server`,
    ]);
  }
  return {
    name: options.name,
    port: webserver.port ?? DEFAULT_WEB_APPLICATION_OPTIONS.port,
    // The guide names the listen address under webSocket; webserver.host wins when both are given.
    host: webserver.host ?? websocket.host ?? DEFAULT_WEB_APPLICATION_OPTIONS.host,
    path: pathOf(websocket.url ?? websocket.path),
    requestHandler: webserver.requestHandler,
    server: webserver.server,
    websocket: client || websocket.enabled === false ? undefined : websocket,
    websocketClient: client?.enabled === false ? undefined : client,
    redis: options.redis,
    auth: options.auth,
    workers,
    api,
    admin,
    handleSignals: options.handleSignals ?? DEFAULT_WEB_APPLICATION_OPTIONS.handleSignals,
  };
}

/** The pathname of the guide's `url: 'ws://localhost:3000/ws'`, or a bare path. */
function pathOf(url: string | undefined): string {
  if (url === undefined) return DEFAULT_WEB_APPLICATION_OPTIONS.path;
  if (url.startsWith('/')) return url;
  try {
    const { pathname } = new URL(url);
    return pathname === '' ? '/' : pathname;
  } catch {
    throw invalidOptions(WHERE, [`websocket.url must be a URL like 'ws://localhost:3000/ws'; got "${url}"`]);
  }
}

function checkAttachable(webserver: WebServerConfig): void {
  const server = webserver.server as { on?: unknown; listeners?: unknown } | null;
  if (typeof server?.on !== 'function' || typeof server.listeners !== 'function') {
    throw invalidOptions(WHERE, [
      `webserver.server must be a node:http server (expressApp.listen(), fastify.server, http.createServer())`,
    ]);
  }
  if (webserver.port !== undefined || webserver.host !== undefined) {
    throw invalidOptions(WHERE, [
      `webserver.port and webserver.host belong to the server in webserver.server: listen on it yourself`,
    ]);
  }
}
