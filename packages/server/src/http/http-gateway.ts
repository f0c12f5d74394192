import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Authenticator, AuthUser } from '@roomcast/protocol';
import { type WebSocket, WebSocketServer as WsServer } from 'ws';
import { chooseSubprotocol } from '../delivery/codecs';
import type { Metrics } from '../metrics';
import type { ResolvedOptions } from '../options';
import { createHandshakeGuard, type HandshakeGuard } from './handshake-guard';
import { closeHttp, createStandaloneHttp, listenHttp, wsUrl } from './standalone-http';
import { checkUpgrade, pathnameOf, type UpgradeGateDeps } from './upgrade';

export interface ListenOptions {
  port?: number;
  /** Loopback by default: exposing the server is a decision, not an accident. */
  host?: string;
  path?: string;
}

export interface HttpGatewayDeps {
  guard: HandshakeGuard;
  /** ws in `noServer` mode: the caller owns the HTTP server (node:http, Fastify, Express). */
  wss: WsServer;
  gate: Omit<UpgradeGateDeps, 'path' | 'guard'>;
  connected: (ws: WebSocket, user: AuthUser | undefined, ip: string) => void;
}

/**
 * The server's HTTP side: the HTTP server it shares (`attach`) or owns (`listen`), and each
 * upgrade from its request to a WebSocket (or a plain HTTP refusal). Either call starts the server
 * first (`start`); when anything fails, a server it created is closed again.
 */
export class HttpGateway {
  readonly #deps: HttpGatewayDeps;
  #http:
    | { server: HttpServer; owned: boolean; onUpgrade: (...args: [IncomingMessage, Duplex, Buffer]) => void }
    | undefined;

  constructor(deps: HttpGatewayDeps) {
    this.#deps = deps;
  }

  async attach(server: HttpServer, path: string, start: () => Promise<void>): Promise<void> {
    this.#detached();
    await start();
    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      // Another upgrade handler on this server owns the other paths; alone, this one refuses
      // them (404) so that their sockets do not hang.
      if (server.listenerCount('upgrade') > 1 && pathnameOf(request) !== path) return;
      void this.#upgrade(request, socket, head, path);
    };
    server.on('upgrade', onUpgrade);
    this.#http = { server, owned: false, onUpgrade };
  }

  async listen(
    { port = 0, host = '127.0.0.1', path = '/ws' }: ListenOptions,
    start: () => Promise<void>,
  ): Promise<AddressInfo & { url: string }> {
    this.#detached();
    const http = createStandaloneHttp();
    // Ours: every connection counts and is timed from TCP accept, not from its upgrade request.
    this.#deps.guard.watch(http);
    try {
      await listenHttp(http, port, host);
      await this.attach(http, path, start);
    } catch (error) {
      await closeHttp(http);
      throw error;
    }
    if (this.#http) this.#http.owned = true;
    const address = http.address() as AddressInfo;
    return { ...address, url: wsUrl(address, path) };
  }

  /** Refuses new connections (503) and destroys the handshakes in progress. */
  refuseNew(): void {
    this.#deps.guard.stop();
  }

  /** Leaves the shared server to its owner; closes the one `listen` made. */
  async close(): Promise<void> {
    this.#deps.wss.close();
    if (!this.#http) return;
    this.#http.server.off('upgrade', this.#http.onUpgrade);
    if (this.#http.owned) await closeHttp(this.#http.server);
  }

  #detached(): void {
    if (this.#http) throw new TypeError('This WebSocketServer is already attached; create another one');
  }

  async #upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, path: string): Promise<void> {
    socket.on('error', destroySocket);
    const { guard, wss, gate, connected } = this.#deps;
    const decision = await checkUpgrade(request, socket, { ...gate, path, guard });
    if (!decision.ok) return;
    wss.handleUpgrade(request, socket, head, ws => {
      // ws listens for the socket's errors from here on, as it does after its own handshakes.
      socket.off('error', destroySocket);
      // Not counted any more: it closed during the handshake, and its slot was given back then.
      if (!guard.upgraded(socket)) return ws.terminate();
      connected(ws, decision.user, decision.ip);
    });
  }

  /** A client's WebSocket closed: the slot it held under the connection limits is free again. */
  released(ip: string): void {
    this.#deps.guard.released(ip);
  }
}

function destroySocket(this: Duplex): void {
  this.destroy();
}

export interface GatewayHooks {
  authenticator: Authenticator | undefined;
  /** A socket finished its upgrade. */
  connected: HttpGatewayDeps['connected'];
}

/** The gateway for a server's resolved options: `ws` in `noServer` mode behind the handshake guard. */
export function createHttpGateway(
  resolved: ResolvedOptions,
  metrics: Metrics,
  hooks: GatewayHooks,
): HttpGateway {
  // noServer: the caller owns the HTTP server (node:http, Fastify, Express); ws only frames.
  const wss = new WsServer({
    noServer: true,
    maxPayload: resolved.limits.maxPayload,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: chooseSubprotocol,
  });
  return new HttpGateway({
    guard: createHandshakeGuard(resolved, metrics),
    wss,
    gate: {
      allowedOrigins: resolved.allowedOrigins,
      authenticator: hooks.authenticator,
      metrics,
      logger: resolved.logger,
    },
    connected: hooks.connected,
  });
}
