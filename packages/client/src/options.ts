import {
  anyObjectOption,
  arrayOption,
  checkOptions,
  functionOption,
  invalidOptions,
  type Logger,
  numberOption,
  objectOption,
  oneOfOption,
  requiredOption,
  stringOption,
  unionOption,
} from '@roomcast/protocol';
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

const positive = numberOption('a positive number', value => value > 0);

/** What `createClient(options)` accepts; a key more or less in `ClientOptions` fails typecheck here. */
export const CLIENT_OPTIONS_SCHEMA = objectOption<ClientOptions>({
  url: requiredOption(unionOption(stringOption, arrayOption(stringOption))),
  WebSocket: functionOption,
  getToken: functionOption,
  reconnect: unionOption(
    oneOfOption(false),
    objectOption<ReconnectOptions>({
      initialDelayMs: positive,
      maxDelayMs: positive,
      factor: positive,
      maxAttempts: numberOption('a number >= 0 (Infinity for no limit)', value => value >= 0),
      random: functionOption,
    }),
  ),
  requestTimeoutMs: positive,
  offlineQueue: objectOption<NonNullable<ClientOptions['offlineQueue']>>({
    max: numberOption('a whole number >= 0', value => Number.isInteger(value) && value >= 0),
  }),
  heartbeatTimeoutMs: positive,
  codec: oneOfOption('json', 'msgpack'),
  logger: anyObjectOption,
});

/**
 * Fills in defaults after checking the options against `CLIENT_OPTIONS_SCHEMA`: every unknown key
 * and wrong type in one INVALID_OPTIONS TypeError that says what to fix.
 */
export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  checkOptions('createClient', options, CLIENT_OPTIONS_SCHEMA);
  const urls = endpointUrls(options.url);
  const WebSocket = options.WebSocket ?? (globalThis.WebSocket as WebSocketConstructor | undefined);
  if (typeof WebSocket !== 'function')
    throw invalidOptions('createClient', ['no global WebSocket here: pass the WebSocket option (e.g. `ws`)']);
  return {
    url: urls[0] as string,
    urls,
    WebSocket,
    getToken: options.getToken,
    reconnect:
      options.reconnect === false
        ? false
        : // A key set to undefined means its default, as the schema (which skips it) reads it.
          {
            ...DEFAULT_RECONNECT,
            ...Object.fromEntries(Object.entries(options.reconnect ?? {}).filter(e => e[1] !== undefined)),
          },
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.requestTimeoutMs,
    offlineQueue: { max: options.offlineQueue?.max ?? DEFAULT_CLIENT_OPTIONS.offlineQueue.max },
    heartbeatTimeoutMs: options.heartbeatTimeoutMs ?? DEFAULT_CLIENT_OPTIONS.heartbeatTimeoutMs,
    codec: options.codec ?? DEFAULT_CLIENT_OPTIONS.codec,
    logger: options.logger,
  };
}

/**
 * Full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): a random delay up to the
 * capped exponential, so clients dropped by one server restart do not come back in lockstep.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions): number {
  const ceiling = Math.min(options.maxDelayMs, options.initialDelayMs * options.factor ** attempt);
  return options.random() * ceiling;
}
