import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Limits, Logger } from '@roomcast/protocol';
import type { Metrics } from '../metrics';
import type { HandshakeOptions } from '../options';
import type { ClientAddress } from './client-address';
import { ConnectionLimits, type Refusal } from './connection-limits';
import { refuseSocket } from './http-refusal';

export interface HandshakeGuardOptions {
  limits: ConnectionLimits;
  address: ClientAddress;
  /** A handshake not finished in this time is answered 408 and its socket destroyed. */
  timeoutMs: number;
  /** Called for every connection refused or timed out here (a metric). */
  onRefused: () => void;
  logger: Logger;
}

interface Pending {
  ip: string | undefined;
  readonly timer: NodeJS.Timeout;
}

export type Admission = { ip: string; refusal?: undefined } | { refusal: Refusal };

/**
 * Bounds every connection from its first byte: counted under the connection limits from TCP accept
 * (on a server this one owns) or from its upgrade request (on a caller's server, whose other
 * traffic is not ours to time), and destroyed if its handshake has not finished within
 * `timeoutMs` — slowloris headers and a hanging authenticator alike. A handshake's count is
 * released when its socket closes; a WebSocket's when its owner says it closed (`released`), so an
 * idle client carries no listener or map entry of the guard's.
 */
export class HandshakeGuard {
  readonly #options: HandshakeGuardOptions;
  readonly #pending = new Map<Duplex, Pending>();
  /** One listener for every socket (`this` is the socket), not a closure per connection. */
  readonly #onClose: (this: Duplex) => void;
  #stopped = false;

  constructor(options: HandshakeGuardOptions) {
    this.#options = options;
    const guard = this;
    this.#onClose = function onGuardedSocketClose(this: Duplex) {
      guard.#closed(this);
    };
  }

  /** For a server this one owns (`listen()`): every connection counts and is timed from accept. */
  watch(server: HttpServer): void {
    server.on('connection', (socket: Socket) => {
      const refusal = this.#begin(socket, this.#options.address.ofPeer(socket.remoteAddress));
      if (refusal !== undefined) this.#refuse(socket, refusal);
    });
  }

  /** At the upgrade request: the client's address, or the status to refuse it with. */
  enter(request: IncomingMessage, socket: Duplex): Admission {
    const ip = this.#options.address.ofRequest(request);
    const pending = this.#pending.get(socket);
    if (!pending) {
      const refusal = this.#begin(socket, ip);
      return refusal === undefined ? { ip } : { refusal };
    }
    // Accepted from a proxy (or before a custom getClientIp could run): now the client is known.
    const refusal = this.#options.limits.attribute(pending.ip, ip);
    if (refusal !== undefined) return { refusal };
    pending.ip = ip;
    return { ip };
  }

  /**
   * The socket is a WebSocket now: no more deadline. It counts under the address `enter` gave
   * until `released(thatAddress)`. False if the guard was not counting it (it closed meanwhile).
   */
  upgraded(socket: Duplex): boolean {
    const pending = this.#pending.get(socket);
    if (!pending) return false;
    clearTimeout(pending.timer);
    this.#pending.delete(socket);
    socket.off('close', this.#onClose);
    this.#options.limits.upgraded();
    return true;
  }

  /** A WebSocket that `upgraded` took over, counted under `ip` (its `enter` address), has closed. */
  released(ip: string): void {
    this.#options.limits.closed(ip, false);
  }

  /** Refuses every new connection and destroys the handshakes in progress (stop, failed start). */
  stop(): void {
    this.#stopped = true;
    for (const [socket, { timer }] of this.#pending) {
      clearTimeout(timer);
      socket.destroy();
    }
  }

  #begin(socket: Duplex, ip: string | undefined): Refusal | undefined {
    if (this.#stopped || socket.destroyed) return 503;
    const refusal = this.#options.limits.open(ip);
    if (refusal !== undefined) return refusal;
    const timer = setTimeout(() => this.#expire(socket), this.#options.timeoutMs);
    timer.unref();
    this.#pending.set(socket, { ip, timer });
    socket.on('close', this.#onClose);
    return undefined;
  }

  #expire(socket: Duplex): void {
    const ip = this.#pending.get(socket)?.ip;
    // debug: a slowloris attack would turn an info line per socket into a log flood.
    this.#options.logger.debug({ ip, timeoutMs: this.#options.timeoutMs }, 'handshake timed out');
    this.#refuse(socket, 408);
  }

  #refuse(socket: Duplex, status: number): void {
    this.#options.onRefused();
    refuseSocket(socket, status);
  }

  #closed(socket: Duplex): void {
    const pending = this.#pending.get(socket);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(socket);
    this.#options.limits.closed(pending.ip, true);
  }
}

/** The guard for a server's resolved options; refusals count as rejected upgrades. */
export function createHandshakeGuard(
  options: { limits: Limits; handshake: HandshakeOptions; clientAddress: ClientAddress; logger: Logger },
  metrics: Metrics,
): HandshakeGuard {
  const { limits, handshake } = options;
  return new HandshakeGuard({
    limits: new ConnectionLimits({
      maxConnections: limits.maxConnections,
      maxConnectionsPerIp: limits.maxConnectionsPerIp,
      maxPendingHandshakes: handshake.maxPending,
    }),
    address: options.clientAddress,
    timeoutMs: handshake.timeoutMs,
    onRefused: () => {
      metrics.rejectedUpgrades++;
    },
    logger: options.logger,
  });
}
