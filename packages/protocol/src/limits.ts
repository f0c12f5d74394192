/** Per-client inbound rate limit: a token bucket refilled at `perSecond`, holding at most `burst`. */
export interface RateLimitOptions {
  perSecond: number;
  burst: number;
  /** Messages refused in a row (no token) before the client is closed with 4008. */
  abuseThreshold: number;
}

export interface Limits {
  /** Largest inbound frame in bytes; larger frames close the socket with 1009. */
  maxPayload: number;
  /** Send buffer above which a client counts as a slow consumer. */
  maxBufferedBytes: number;
  /** What happens to a slow consumer: closed with 4009, or its messages dropped (and counted). */
  slowConsumer: 'close' | 'drop';
  rateLimit: RateLimitOptions | false;
  /** Concurrent connections per node; more get HTTP 503 at the upgrade. */
  maxConnections: number;
  /** Concurrent connections per remote address; more get HTTP 429. Off when undefined. */
  maxConnectionsPerIp: number | undefined;
}

/** Limits are on by default: a server started with no options is already hard to abuse. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  maxPayload: 64 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  slowConsumer: 'close',
  rateLimit: Object.freeze({ perSecond: 100, burst: 200, abuseThreshold: 200 }),
  maxConnections: 10_000,
  maxConnectionsPerIp: undefined,
});

/** `type`, `action` and bus names: 1-64 characters of letters, digits, `_ . : -`. */
export const NAME_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
export const MAX_ID_LENGTH = 64;
