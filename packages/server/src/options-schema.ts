import type { HistoryOptions, RateLimitOptions } from '@roomcast/protocol';
import {
  anyObjectOption,
  anyOption,
  arrayOption,
  booleanOption,
  functionOption,
  numberOption,
  type OptionsSchema,
  objectOption,
  oneOfOption,
  requiredOption,
  stringOption,
  unionOption,
} from '@roomcast/protocol';
import type { RoomPattern } from '@roomcast/rooms';
import type { ServerEvents } from './events';
import type {
  HandshakeOptions,
  HeartbeatOptions,
  InactiveClientsOptions,
  RoomOptions,
  SubscriberHandlersOptions,
  WebSocketServerOptions,
} from './options';
import type { RouteDefinition } from './routing/routes';

const positive = numberOption('a positive number', value => value > 0);
const positiveInteger = numberOption(
  'a positive whole number',
  value => Number.isInteger(value) && value > 0,
);
const object = anyObjectOption;

const history = objectOption<HistoryOptions>({ size: positiveInteger, ttlMs: positive });
// true (a frame per change), 'count', or { batchMs, count? } (SPEC section 4); the range of
// batchMs is checked where the pattern is resolved (@roomcast/rooms).
const presence = unionOption(
  booleanOption,
  oneOfOption('count'),
  objectOption<{ batchMs: number; count?: boolean }>({
    batchMs: requiredOption(positiveInteger),
    count: booleanOption,
  }),
);
const pattern = objectOption<RoomPattern>({
  match: requiredOption(anyOption),
  presence,
  history,
});

const rooms = objectOption<RoomOptions>({
  clientCanJoinMultipleRooms: booleanOption,
  maxRoomsPerClient: positive,
  authorizeJoin: functionOption,
  patterns: arrayOption(pattern),
  maxLiveDelayMs: positive,
});

const rateLimit = objectOption<RateLimitOptions>({
  perSecond: positive,
  burst: positive,
  abuseThreshold: positive,
});

const limits = objectOption<NonNullable<WebSocketServerOptions['limits']>>({
  maxPayload: positive,
  maxBufferedBytes: positive,
  slowConsumer: oneOfOption('close', 'drop'),
  rateLimit: unionOption(oneOfOption(false), rateLimit),
  maxConnections: positive,
  maxConnectionsPerIp: positive,
});

/** Past a second a delay is a misconfiguration (seconds for a unit of ms), not a trade-off. */
export const MAX_WRITE_DELAY_MS = 1_000;
const writeDelayMs = numberOption(
  `a number of milliseconds from 0 to ${MAX_WRITE_DELAY_MS} (0: no delay)`,
  value => value >= 0 && value <= MAX_WRITE_DELAY_MS,
);

const heartbeat = objectOption<HeartbeatOptions>({ intervalMs: positive, timeoutMs: positive });

const inactive = objectOption<InactiveClientsOptions>({
  enabled: booleanOption,
  inactiveTime: positive,
  intervalCheckTime: positive,
  log: booleanOption,
});

const events = objectOption<ServerEvents>({
  onServerStarted: functionOption,
  onConnected: functionOption,
  onDisconnected: functionOption,
  onMessage: functionOption,
  onError: functionOption,
});

const routeDefinition = objectOption<RouteDefinition>({
  type: requiredOption(stringOption),
  action: requiredOption(stringOption),
  handler: functionOption,
  controller: functionOption,
  controllerName: stringOption,
  schema: object,
  middleware: arrayOption(functionOption),
});

const subscriberHandlers = objectOption<SubscriberHandlersOptions>({
  directory: stringOption,
  // Each definition is checked by @roomcast/subscribers, which knows its shapes.
  handlers: arrayOption(object),
});

const handshake = objectOption<HandshakeOptions>({ timeoutMs: positive, maxPending: positiveInteger });

/** `drainMs`, here and in `stop()`: 0 closes every client at once, as before there was a window. */
export const drainMsOption = numberOption(
  'a number of milliseconds >= 0 (0 closes every client at once)',
  value => value >= 0 && Number.isFinite(value),
);

/** The keys of `WebSocketServerOptions`, each with its type. */
export const SERVER_OPTION_TYPES: OptionsSchema<WebSocketServerOptions> = {
  name: stringOption,
  routes: arrayOption(routeDefinition),
  controllersDirectory: stringOption,
  events,
  rooms,
  limits,
  writeDelayMs,
  heartbeat: unionOption(oneOfOption(false), heartbeat),
  disconnectInactiveClients: inactive,
  allowedOrigins: arrayOption(stringOption),
  bus: object,
  roomStore: object,
  history: object,
  authenticator: object,
  subscriberHandlers,
  subscriberContext: object,
  logger: object,
  debug: objectOption<NonNullable<WebSocketServerOptions['debug']>>({
    printRoutes: booleanOption,
    printSubscribers: booleanOption,
  }),
  nodeId: stringOption,
  getClientIp: functionOption,
  trustProxy: unionOption(
    oneOfOption(false),
    numberOption('a whole number >= 0', value => Number.isInteger(value) && value >= 0),
    arrayOption(stringOption),
  ),
  handshake,
  drainMs: drainMsOption,
};

/**
 * Keys of the guide's config block (`enabled`, `type`, `url`, ...) that describe the umbrella's
 * WebSocket endpoint, not this server: accepted here, so one config block serves both, and ignored.
 */
export const GUIDE_ENDPOINT_OPTION_TYPES = {
  enabled: booleanOption,
  type: oneOfOption('server'),
  host: stringOption,
  url: stringOption,
  port: numberOption(),
  path: stringOption,
};

/**
 * What `new WebSocketServer(options)` accepts, checked at construction: an unknown key at any
 * depth (with the nearest known one), or a value of the wrong type, is an `INVALID_OPTIONS`
 * TypeError that names the option's full path.
 */
export const WEBSOCKET_SERVER_OPTIONS_SCHEMA = objectOption({
  ...SERVER_OPTION_TYPES,
  ...GUIDE_ENDPOINT_OPTION_TYPES,
});
