import type {
  ClientOptions,
  WebSocketClientEvents,
  WebSocketClientProps,
  WebSocketClientRoute,
} from '@roomcast/client';
import { WebSocketClient } from '@roomcast/client';
import { invalidOptions, type Logger } from '@roomcast/protocol';
import { WEBSOCKET_SERVER_OPTION_KEYS } from '@roomcast/server';
import { WEBSOCKET_CLIENT_CONFIG_SCHEMA } from './options-schema';

/**
 * `webSocket: { type: 'client', url }` (the guide): the app is a WebSocket client of another
 * Roomcast server — a Node service talking to it — with the guide's client routes or
 * controllers, events and reconnect. Under it is `@roomcast/client`'s `WebSocketClient`.
 */
export interface WebSocketClientConfig
  extends Pick<
    ClientOptions,
    'getToken' | 'reconnect' | 'requestTimeoutMs' | 'offlineQueue' | 'heartbeatTimeoutMs'
  > {
  /** Accepted from the guide's config block and ignored. */
  host?: string;
  /** false: no WebSocket client. Default true. */
  enabled?: boolean;
  type: 'client';
  /** The server to connect to, e.g. 'ws://127.0.0.1:3000/ws'. */
  url: string;
  /** Handlers for frames the server pushes: `{ type, action, handler | controller | controllerName }`. */
  routes?: WebSocketClientRoute[];
  /** Where `controllerName` routes find `<name>.controller.js` (default export). */
  controllersDirectory?: string;
  events?: WebSocketClientEvents;
}

const WHERE = 'WebApplication';

export function isClientConfig(config: object): config is WebSocketClientConfig {
  return (config as { type?: unknown }).type === 'client';
}

/**
 * What the schema cannot say about a client config: a server option in it does nothing (not a
 * typo, so no "did you mean"), and its url must be a WebSocket URL.
 */
export function checkClientOnly(config: WebSocketClientConfig, key: string): void {
  const clientKeys = new Set(Object.keys(WEBSOCKET_CLIENT_CONFIG_SCHEMA.keys));
  const serverOnly = Object.keys(config).filter(
    name => WEBSOCKET_SERVER_OPTION_KEYS.includes(name) && !clientKeys.has(name),
  );
  if (serverOnly.length > 0) {
    throw invalidOptions(
      WHERE,
      serverOnly.map(
        name =>
          `"${key}.${name}" is a server option and does nothing for a client; remove it, or use type: 'server'`,
      ),
    );
  }
  if (typeof config.url !== 'string' || !/^wss?:\/\/[^/]/.test(config.url)) {
    throw invalidOptions(WHERE, [
      `${key}.url must be the server's WebSocket URL, e.g. 'ws://127.0.0.1:3000/ws'; got ${JSON.stringify(config.url)}`,
    ]);
  }
}

/**
 * The app's WebSocket client, with its routes loaded; `connectToServer()` is the caller's, so an
 * app can listen for HTTP while it waits for the server.
 */
export async function createAppClient(
  config: WebSocketClientConfig,
  logger: Logger,
): Promise<WebSocketClient> {
  const { enabled: _enabled, type: _type, host: _host, ...options } = config;
  const client = new WebSocketClient({ options: { ...options, logger } as WebSocketClientProps['options'] });
  await client.load();
  return client;
}
