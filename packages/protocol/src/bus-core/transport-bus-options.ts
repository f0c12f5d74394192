import { type Logger, silentLogger } from '../contracts';
import type { BusTransport } from './transport';

export interface BusStats {
  /** Publishes the transport accepted. */
  published: number;
  /** Messages the transport delivered on this bus's channels, listened to or not. */
  received: number;
  /** Publishes lost: pushed out of the full pending queue, failed in flight, or pending at close. */
  dropped: number;
  /** Publishes waiting for the transport to come back. */
  pending: number;
  /** `received` per logical channel (`room:general`); a channel with no traffic has no entry. */
  receivedByChannel: ReadonlyMap<string, number>;
}

export interface TransportBusOptions {
  /** Names the bus in errors and log messages: `RedisBus`. */
  name?: string;
  /** What the transport reaches, in log messages: `Redis`. */
  peer?: string;
  /** Publishes kept while the transport is down; beyond it the oldest are dropped and counted. */
  maxPendingPublishes?: number;
  /**
   * Start connected, for a transport that is never down (the in-process one): no status change is
   * ever reported. Otherwise the bus is down until the transport calls `up()`.
   */
  startConnected?: boolean;
  /** Listener failures, outages and lost publishes go here. */
  logger?: Logger;
}

// Pure: a browser bundle that imports @roomcast/protocol only for its frames drops the bus core.
export const DEFAULT_TRANSPORT_BUS_OPTIONS = /* @__PURE__ */ Object.freeze({
  name: 'TransportBus',
  peer: 'the transport',
  maxPendingPublishes: 10_000,
});

const TRANSPORT_METHODS = ['open', 'publish', 'subscribe', 'unsubscribe', 'close'] as const;

/** Fills in defaults; a misused option or an incomplete transport throws a TypeError that says what to do. */
export function resolveTransportBusOptions(
  transport: BusTransport,
  options: TransportBusOptions,
): Required<TransportBusOptions> {
  const name = options.name ?? DEFAULT_TRANSPORT_BUS_OPTIONS.name;
  const maxPendingPublishes =
    options.maxPendingPublishes ?? DEFAULT_TRANSPORT_BUS_OPTIONS.maxPendingPublishes;
  if (!Number.isSafeInteger(maxPendingPublishes) || maxPendingPublishes < 0) {
    throw new TypeError(
      `${name}: maxPendingPublishes must be a whole number >= 0 (0 drops every publish made while the transport is down); got ${maxPendingPublishes}.`,
    );
  }
  const candidate = transport as unknown as Record<string, unknown> | null;
  if (typeof candidate !== 'object' || candidate === null) {
    throw new TypeError(`${name}: pass a transport object with ${TRANSPORT_METHODS.join(', ')}.`);
  }
  for (const method of TRANSPORT_METHODS) {
    if (typeof candidate[method] !== 'function') {
      throw new TypeError(`${name}: the transport has no ${method}() (see BusTransport).`);
    }
  }
  return {
    name,
    peer: options.peer ?? DEFAULT_TRANSPORT_BUS_OPTIONS.peer,
    maxPendingPublishes,
    startConnected: options.startConnected === true,
    logger: options.logger ?? silentLogger,
  };
}
