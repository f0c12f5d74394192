/** The HTTP status a connection over a limit is refused with. */
export type Refusal = 429 | 503;

export interface ConnectionCaps {
  /** Connections at once, handshakes in progress included (503 past it). */
  maxConnections: number;
  /** Connections at once from one client address (429 past it); undefined: no cap. */
  maxConnectionsPerIp: number | undefined;
  /** Handshakes in progress at once (503 past it). */
  maxPendingHandshakes: number;
}

/**
 * Counts connections from the moment they cost something (TCP accept on `listen()`, the upgrade
 * request on a caller's server) to their close, and says when one is over a cap. A connection's
 * address may be unknown at first (its peer is a proxy): it then counts towards the total only,
 * until `attribute` gives it the client's address from the request.
 */
export class ConnectionLimits {
  readonly #caps: ConnectionCaps;
  readonly #perIp = new Map<string, number>();
  #total = 0;
  #pending = 0;

  constructor(caps: ConnectionCaps) {
    this.#caps = caps;
  }

  /** Connections counted now, handshakes in progress included. */
  get total(): number {
    return this.#total;
  }

  get pending(): number {
    return this.#pending;
  }

  /** A handshake begins; counts it, or says why not. */
  open(ip: string | undefined): Refusal | undefined {
    if (this.#pending >= this.#caps.maxPendingHandshakes || this.#total >= this.#caps.maxConnections) {
      return 503;
    }
    if (ip !== undefined && this.#full(ip)) return 429;
    this.#total++;
    this.#pending++;
    if (ip !== undefined) this.#add(ip, 1);
    return undefined;
  }

  /** The client's address became known (from the request): counts it there, or says why not. */
  attribute(from: string | undefined, to: string): Refusal | undefined {
    if (from === to) return undefined;
    if (this.#full(to)) return 429;
    if (from !== undefined) this.#add(from, -1);
    this.#add(to, 1);
    return undefined;
  }

  /** The handshake finished: the connection is a WebSocket and counts until it closes. */
  upgraded(): void {
    this.#pending--;
  }

  /** The connection closed, during its handshake or after it. */
  closed(ip: string | undefined, pending: boolean): void {
    this.#total--;
    if (pending) this.#pending--;
    if (ip !== undefined) this.#add(ip, -1);
  }

  #full(ip: string): boolean {
    const cap = this.#caps.maxConnectionsPerIp;
    return cap !== undefined && (this.#perIp.get(ip) ?? 0) >= cap;
  }

  #add(ip: string, delta: number): void {
    const count = (this.#perIp.get(ip) ?? 0) + delta;
    if (count > 0) this.#perIp.set(ip, count);
    else this.#perIp.delete(ip);
  }
}
