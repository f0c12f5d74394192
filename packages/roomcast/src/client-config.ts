import type {
  ClientOptions,
  WebSocketClientEvents,
  WebSocketClientProps,
  WebSocketClientRoute,
} from '@roomcast/client';
import { WebSocketClient } from '@roomcast/client';
import type { Logger } from '@roomcast/protocol';
import { WEBSOCKET_SERVER_OPTION_KEYS } from '@roomcast/server';
import { checkKeys } from './did-you-mean';

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

const WHERE = 'WebApplication webSocket (type: client)';
const CLIENT_KEYS = [
  'enabled',
  'type',
  'url',
  'routes',
  'controllersDirectory',
  'events',
  'getToken',
  'reconnect',
  'requestTimeoutMs',
  'offlineQueue',
  'heartbeatTimeoutMs',
  // The guide's config block has it for both types; a client has nothing to bind.
  'host',
] as const;
const SERVER_ONLY = new Set<string>(
  WEBSOCKET_SERVER_OPTION_KEYS.filter(key => !(CLIENT_KEYS as readonly string[]).includes(key)),
);

export function isClientConfig(config: object): config is WebSocketClientConfig {
  return (config as { type?: unknown }).type === 'client';
}

/** Checks a client config at construction, with messages that say what to change. */
export function checkClientConfig(config: WebSocketClientConfig): WebSocketClientConfig {
  const serverOnly = Object.keys(config).find(key => SERVER_ONLY.has(key));
  if (serverOnly !== undefined) {
    throw new TypeError(
      `${WHERE}: "${serverOnly}" is a server option and does nothing for a client; remove it, or use type: 'server'.`,
    );
  }
  checkKeys(WHERE, config, CLIENT_KEYS);
  if (typeof config.url !== 'string' || !/^wss?:\/\/[^/]/.test(config.url)) {
    throw new TypeError(
      `${WHERE}: url must be the server's WebSocket URL, e.g. 'ws://127.0.0.1:3000/ws'; got ${JSON.stringify(config.url)}.`,
    );
  }
  return config;
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
