import type { WebSocketClientEvents, WebSocketClientRoute } from '@roomcast/client';
import { CLIENT_OPTIONS_SCHEMA } from '@roomcast/client';
import {
  anyObjectOption,
  anyOption,
  arrayOption,
  booleanOption,
  functionOption,
  numberOption,
  objectOption,
  oneOfOption,
  pickOption,
  requiredOption,
  stringOption,
  unionOption,
} from '@roomcast/protocol';
import { REDIS_CONNECTION_SCHEMA } from '@roomcast/redis';
import { WEBSOCKET_SERVER_OPTIONS_SCHEMA } from '@roomcast/server';
import type { AdminConfig } from './admin/admin-options';
import type { WebSocketClientConfig } from './client-config';
import type { ApiConfig } from './http-api/api-options';
import type { AuthConfig, WebApplicationOptions, WebServerConfig } from './options';

const webserver = objectOption<WebServerConfig>({
  port: numberOption(
    'a whole number from 0 to 65535',
    value => Number.isInteger(value) && value >= 0 && value <= 65_535,
  ),
  host: stringOption,
  requestHandler: functionOption,
  server: anyObjectOption,
});

// A server's config: the server's own schema, with the guide's `type` naming both choices.
const websocketServer = objectOption({
  ...WEBSOCKET_SERVER_OPTIONS_SCHEMA.keys,
  type: oneOfOption('server', 'client'),
});

const clientKeys = CLIENT_OPTIONS_SCHEMA.keys;
/** `webSocket: { type: 'client', url, ... }`: the client's own options and the guide's keys. */
export const WEBSOCKET_CLIENT_CONFIG_SCHEMA = objectOption<WebSocketClientConfig>({
  host: stringOption,
  enabled: booleanOption,
  type: oneOfOption('client'),
  url: requiredOption(stringOption),
  routes: arrayOption(
    objectOption<WebSocketClientRoute>({
      type: requiredOption(stringOption),
      action: requiredOption(stringOption),
      controller: functionOption,
      controllerName: stringOption,
      handler: functionOption,
    }),
  ),
  controllersDirectory: stringOption,
  events: objectOption<WebSocketClientEvents>({
    onConnected: functionOption,
    onMessage: functionOption,
    onReconnecting: functionOption,
    onReconnected: functionOption,
    onReconnectFailed: functionOption,
    onDisconnected: functionOption,
  }),
  getToken: clientKeys.getToken,
  reconnect: clientKeys.reconnect,
  requestTimeoutMs: clientKeys.requestTimeoutMs,
  offlineQueue: clientKeys.offlineQueue,
  heartbeatTimeoutMs: clientKeys.heartbeatTimeoutMs,
});

const websocket = pickOption('an object', value =>
  (value as { type?: unknown } | null)?.type === 'client' ? WEBSOCKET_CLIENT_CONFIG_SCHEMA : websocketServer,
);

const auth = objectOption<AuthConfig>({
  jwtSecretKey: stringOption,
  publicKey: anyOption,
  algorithms: arrayOption(stringOption),
  issuer: unionOption(stringOption, arrayOption(stringOption)),
  audience: anyOption,
  clockToleranceSec: numberOption('a number >= 0', value => value >= 0),
  required: booleanOption,
  loginTimeoutMs: numberOption('a number >= 0', value => value >= 0),
  userIdClaim: stringOption,
  emailClaim: stringOption,
});

const api = objectOption<ApiConfig>({
  key: requiredOption(stringOption),
  timeoutMs: numberOption('a positive number of milliseconds', value => value > 0 && value < Infinity),
});

// The password is checked by resolveAdminOptions, whose message never shows it; a type error
// here would print the value.
const admin = objectOption<AdminConfig>({
  password: anyOption,
  username: stringOption,
  path: stringOption,
  timeoutMs: anyOption,
});

/**
 * `new WebApplication(options)`, described once: every section and the server, client and Redis
 * options inside them, so an unknown key at any depth or a wrong type is one INVALID_OPTIONS
 * TypeError naming its full path (`webSocket.rooms.clientCanJoinMultipleRoom`).
 */
export const WEB_APPLICATION_OPTIONS_SCHEMA = objectOption<WebApplicationOptions>({
  name: requiredOption(stringOption),
  webserver,
  websocket,
  webSocket: websocket,
  redis: REDIS_CONNECTION_SCHEMA,
  auth,
  api,
  admin,
  performanceMonitoring: objectOption<NonNullable<WebApplicationOptions['performanceMonitoring']>>({
    enabled: booleanOption,
  }),
  cluster: objectOption<NonNullable<WebApplicationOptions['cluster']>>({
    workers: requiredOption(
      numberOption('a whole number >= 1', value => Number.isInteger(value) && value >= 1),
    ),
  }),
  logger: unionOption(oneOfOption(false), anyObjectOption),
  handleSignals: booleanOption,
});
