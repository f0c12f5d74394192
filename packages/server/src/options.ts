import type { IncomingMessage } from 'node:http';
import {
  type Authenticator,
  type Bus,
  checkOptions,
  DEFAULT_LIMITS,
  type History,
  type Limits,
  type Logger,
  type RateLimitOptions,
  type RoomStore,
  silentLogger,
} from '@roomcast/protocol';
import type { RoomPattern } from '@roomcast/rooms';
import type { WebSocketSubscriberConfig, WebSocketSubscriberDefinition } from '@roomcast/subscribers';
import type { ConnectedClient } from './connection/client-registry';
import type { ServerEvents } from './events';
import { type ClientAddress, createClientAddress, type TrustProxy } from './http/client-address';
import { WEBSOCKET_SERVER_OPTIONS_SCHEMA } from './options-schema';
import type { RouteDefinition } from './routing/routes';

export interface HeartbeatOptions {
  /** How often every client is pinged. */
  intervalMs: number;
  /** A client that has not answered a ping within this time is terminated. */
  timeoutMs: number;
}

export interface InactiveClientsOptions {
  enabled: boolean;
  /** A client that sent nothing for this long is closed with 4010. */
  inactiveTime: number;
  intervalCheckTime: number;
  /** Log each disconnection (info). */
  log?: boolean;
}

export interface JoinRequest {
  client: ConnectedClient;
  roomName: string;
}

export interface RoomOptions {
  /** false: joining a room leaves the client's other rooms (the guide's behaviour). */
  clientCanJoinMultipleRooms: boolean;
  maxRoomsPerClient: number;
  /** Decides whether a client may join a room; false (or a rejection) answers FORBIDDEN. */
  authorizeJoin: (request: JoinRequest) => boolean | Promise<boolean>;
  /** Presence and history settings by room name; the first match wins. */
  patterns: RoomPattern[];
  /**
   * History rooms: how long a durable message may wait for the room's stream (Redis) before
   * this node delivers it to its own members without an offset. Live traffic never waits longer.
   */
  maxLiveDelayMs: number;
}

export interface SubscriberHandlersOptions {
  /** Every module in this directory whose default export is a subscriber (or a list of them). */
  directory?: string;
  /** Definitions, or plain configs (`{ channels: ['*'], handle }`, as the guide writes them). */
  handlers?: (WebSocketSubscriberDefinition | WebSocketSubscriberConfig)[];
}

export interface WebSocketServerOptions {
  /** Name used in the default bus prefix and in logs. */
  name?: string;
  /** Accepts a list declared `as const` too. */
  routes?: readonly RouteDefinition[];
  /** Where `controllerName` routes find `<name>.controller.{js,ts}` or `<name>.{js,ts}`. */
  controllersDirectory?: string;
  events?: ServerEvents;
  rooms?: Partial<RoomOptions>;
  limits?: Partial<Omit<Limits, 'rateLimit'>> & { rateLimit?: Partial<RateLimitOptions> | false };
  /**
   * How long a socket's frames may wait so that they leave in one write (0 to 1000 ms; default 0:
   * each event-loop turn's frames leave together at its end). Trades latency for CPU when
   * broadcasts come one per turn at a high rate; see the README: "Write delay".
   */
  writeDelayMs?: number;
  heartbeat?: HeartbeatOptions | false;
  disconnectInactiveClients?: Partial<InactiveClientsOptions>;
  /** Browsers from other origins get HTTP 403 at the upgrade. Unset: any origin. */
  allowedOrigins?: string[];
  /** Node-to-node transport; default: in-process (one node). */
  bus?: Bus;
  /** Cluster-wide room membership; default: in memory. */
  roomStore?: RoomStore;
  /** Room history for recovery; default: in memory. */
  history?: History;
  authenticator?: Authenticator;
  subscriberHandlers?: SubscriberHandlersOptions;
  /** Extra keys handed to every subscriber (the guide's redisInstance, queueManager, databaseInstance). */
  subscriberContext?: Record<string, unknown>;
  logger?: Logger;
  debug?: { printRoutes?: boolean; printSubscribers?: boolean };
  /** Unique id of this node; default: a random UUID. */
  nodeId?: string;
  /**
   * Client address for per-IP limits and logs (default: the TCP peer). Behind a proxy, prefer
   * `trustProxy`; pass one or the other.
   */
  getClientIp?: (request: IncomingMessage) => string;
  /**
   * Proxies whose `X-Forwarded-For` names the client: their number (`1`: one nginx or load
   * balancer in front) or their addresses and subnets (`['10.0.0.0/8']`). Default: none.
   */
  trustProxy?: TrustProxy;
  /** Bounds on the HTTP upgrade, from the connection's first byte (see `DEFAULT_HANDSHAKE`). */
  handshake?: Partial<HandshakeOptions>;
  /**
   * `stop()` closes each client (1001) at a random moment of this window, so they do not all
   * reconnect to the other nodes at once; `stop({ drainMs })` overrides it. 0: all at once.
   * Default: 1 ms per client, at most 1,000 ms (`DEFAULT_MAX_DRAIN_MS`).
   */
  drainMs?: number;
}

export interface HandshakeOptions {
  /**
   * A connection whose upgrade has not finished (headers, authentication) this long after its
   * first byte is answered 408 and destroyed: slowloris clients hold nothing for long.
   */
  timeoutMs: number;
  /** Handshakes in progress at once; more connections are refused (503) until some finish. */
  maxPending: number;
}

export interface ResolvedOptions {
  name: string;
  limits: Limits;
  writeDelayMs: number;
  rooms: RoomOptions;
  heartbeat: HeartbeatOptions | false;
  inactive: InactiveClientsOptions;
  allowedOrigins: ReadonlySet<string> | undefined;
  logger: Logger;
  handshake: HandshakeOptions;
  clientAddress: ClientAddress;
  /** Unset: the default window, which depends on the number of clients at the stop. */
  drainMs: number | undefined;
}

export const DEFAULT_HANDSHAKE: Readonly<HandshakeOptions> = Object.freeze({
  timeoutMs: 10_000,
  maxPending: 1_000,
});

export const DEFAULT_HEARTBEAT: HeartbeatOptions = Object.freeze({ intervalMs: 30_000, timeoutMs: 10_000 });

export const DEFAULT_ROOM_OPTIONS: Readonly<RoomOptions> = Object.freeze({
  clientCanJoinMultipleRooms: true,
  maxRoomsPerClient: 100,
  authorizeJoin: () => true,
  maxLiveDelayMs: 300,
  patterns: [],
});

/** Every top-level key `new WebSocketServer(options)` accepts; the umbrella checks against it too. */
export const WEBSOCKET_SERVER_OPTION_KEYS: readonly string[] = Object.freeze(
  Object.keys(WEBSOCKET_SERVER_OPTIONS_SCHEMA.keys),
);

/**
 * Fills defaults after checking the options against their schema: every unknown key and wrong
 * type, at any depth, in one INVALID_OPTIONS TypeError.
 */
export function resolveOptions(options: WebSocketServerOptions): ResolvedOptions {
  checkOptions('WebSocketServer', options, WEBSOCKET_SERVER_OPTIONS_SCHEMA);
  const rateLimit = options.limits?.rateLimit;
  const limits: Limits = {
    ...DEFAULT_LIMITS,
    ...defined(options.limits),
    rateLimit:
      rateLimit === false
        ? false
        : { ...(DEFAULT_LIMITS.rateLimit as RateLimitOptions), ...defined(rateLimit) },
  };
  const rooms: RoomOptions = { ...DEFAULT_ROOM_OPTIONS, ...defined(options.rooms) };

  const heartbeat =
    options.heartbeat === false ? false : { ...DEFAULT_HEARTBEAT, ...defined(options.heartbeat) };
  const inactive: InactiveClientsOptions = {
    enabled: false,
    inactiveTime: 300_000,
    intervalCheckTime: 60_000,
    log: false,
    ...defined(options.disconnectInactiveClients),
  };
  const handshake: HandshakeOptions = { ...DEFAULT_HANDSHAKE, ...defined(options.handshake) };
  return {
    name: options.name ?? 'default',
    limits,
    writeDelayMs: options.writeDelayMs ?? 0,
    rooms,
    heartbeat,
    inactive,
    allowedOrigins: options.allowedOrigins ? new Set(options.allowedOrigins) : undefined,
    handshake,
    clientAddress: createClientAddress({ trustProxy: options.trustProxy, getClientIp: options.getClientIp }),
    logger: options.logger ?? silentLogger,
    drainMs: options.drainMs,
  };
}

/** A key set to `undefined` means "the default" (the schema skips it), not "no value". */
function defined<T extends object>(section: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(section ?? {}).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
