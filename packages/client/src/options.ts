import type { Logger } from '@roomcast/protocol';
import { endpointUrls } from './endpoints';

/** What the client needs from a socket: the WHATWG API, which both browsers and `ws` implement. */
export interface WebSocketLike {
  readonly readyState: number;
  /** The subprotocol the server chose ('' for none). */
  readonly protocol?: string;
  /** Set to 'arraybuffer' for MessagePack, so binary frames arrive as ArrayBuffers. */
  binaryType?: string;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: never) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: never) => void) | null;
}

/** A WebSocket constructor: `globalThis.WebSocket` or `ws`'s `WebSocket`. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;

export interface ReconnectOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Retries after a lost connection before giving up; `Infinity` never gives up. */
  maxAttempts: number;
  /** Injected for tests; `Math.random` by default. */
  random: () => number;
}

export interface ClientOptions {
  /**
   * `ws://` or `wss://` URL of the server's WebSocket path, or several (`[a, b]`, the nodes of one
   * cluster): after each lost or failed connection the client dials the next, round-robin.
   */
  url: string | readonly string[];
  /** Socket constructor. Default: `globalThis.WebSocket` (the Node entry falls back to `ws`). */
  WebSocket?: WebSocketConstructor;
  /** Token sent as the first message (`auth.login`), never in the URL where proxies log it. */
  getToken?: () => string | undefined | Promise<string | undefined>;
  reconnect?: Partial<ReconnectOptions> | false;
  requestTimeoutMs?: number;
  /** Messages sent while offline wait here; past `max` the oldest is dropped. */
  offlineQueue?: { max?: number };
  /** A connection silent this long is treated as dead (half-open TCP never closes by itself). */
  heartbeatTimeoutMs?: number;
  /**
   * The wire format: `'json'` (text frames, the default) or `'msgpack'` (binary MessagePack frames,
   * subprotocol `roomcast.v1.msgpack`; loaded on first use, so JSON apps never download it). A
   * server whose first frame is JSON text (one from before codecs) is spoken to in JSON.
   */
  codec?: CodecOption;
  logger?: Logger;
}

export type CodecOption = 'json' | 'msgpack';

export interface ResolvedClientOptions {
  /** The first of `urls`. */
  url: string;
  urls: readonly string[];
  WebSocket: WebSocketConstructor;
  getToken: ClientOptions['getToken'];
  reconnect: ReconnectOptions | false;
  requestTimeoutMs: number;
  offlineQueue: { max: number };
  heartbeatTimeoutMs: number;
  codec: CodecOption;
  logger: Logger | undefined;
}

export const DEFAULT_RECONNECT: Readonly<ReconnectOptions> = Object.freeze({
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  factor: 2,
  maxAttempts: Number.POSITIVE_INFINITY,
  random: Math.random,
});

export const DEFAULT_CLIENT_OPTIONS = Object.freeze({
  reconnect: DEFAULT_RECONNECT,
  requestTimeoutMs: 10_000,
  offlineQueue: Object.freeze({ max: 100 }),
  heartbeatTimeoutMs: 45_000,
  codec: 'json' as CodecOption,
});

/** Fills in defaults and throws a TypeError that says what to fix for a misused option. */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  if (typeof options !== 'object' || options === null) throw new TypeError('Pass an options object: { url }');
  const urls = endpointUrls(options.url);
  const WebSocket = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
  if (typeof WebSocket !== 'function')
    throw new TypeError('No global WebSocket here: pass options.WebSocket (e.g. `ws`)');
  if (options.getToken !== undefined && typeof options.getToken !== 'function')
    throw new TypeError('options.getToken must be a function returning the token');
  const reconnect = options.reconnect === false ? false : { ...DEFAULT_RECONNECT, ...options.reconnect };
  if (reconnect) {
    for (const key of ['initialDelayMs', 'maxDelayMs', 'factor'] as const)
      positive(`reconnect.${key}`, reconnect[key]);
    if (!(reconnect.maxAttempts >= 0))
      throw new TypeError('reconnect.maxAttempts must be >= 0 (Infinity allowed)');
    if (typeof reconnect.random !== 'function') throw new TypeError('reconnect.random must be a function');
  }
  const resolved: ResolvedClientOptions = {
    url: urls[0] as string,
    urls,
    WebSocket,
    getToken: options.getToken,
    reconnect,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.requestTimeoutMs,
    offlineQueue: { max: options.offlineQueue?.max ?? DEFAULT_CLIENT_OPTIONS.offlineQueue.max },
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.heartbeatTimeoutMs,
    codec: options.codec ?? DEFAULT_CLIENT_OPTIONS.codec,
    logger: options.logger,
  };
  if (resolved.codec !== 'json' && resolved.codec !== 'msgpack')
    throw new TypeError(`options.codec must be 'json' or 'msgpack', got ${JSON.stringify(resolved.codec)}`);
  positive('requestTimeoutMs', resolved.requestTimeoutMs);
  positive('heartbeatTimeoutMs', resolved.heartbeatTimeoutMs);
  if (!Number.isInteger(resolved.offlineQueue.max) || resolved.offlineQueue.max < 0)
    throw new TypeError('offlineQueue.max must be an integer >= 0');
  return resolved;
}

function positive(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value > 0)) throw new TypeError(`${name} must be a positive number`);
}

/**
 * Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): a random delay up to the
 * capped exponential, so clients dropped by one server restart do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return options.random() * ceiling;
}
