import { randomUUID } from 'node:crypto';
import {
  type Authenticator,
  type AuthUser,
  type Bus,
  BusChannel,
  CloseCode,
  encodeBusMessage,
  type Logger,
  WebSocketRedisSubscriberEvent,
} from '@roomcast/protocol';
import type { RawData, WebSocket } from 'ws';
import type { Broadcaster } from '../delivery/broadcaster';
import type { Outbound } from '../delivery/outbound';
import { prepareFrame } from '../delivery/prepared-frame';
import type { ServerEvents } from '../events';
import type { Metrics } from '../metrics';
import type { RoomCoordinator } from '../rooms/room-coordinator';
import type { MessagePipeline } from '../routing/message-pipeline';
import type { ClientRegistry } from './client-registry';
import { Connection } from './connection';
import { closeAll, Disconnects } from './disconnects';
import { drainWindowMs } from './drain';
import { Heartbeat } from './heartbeat';

export interface ConnectionsDeps {
  nodeId: string;
  clients: ClientRegistry;
  pipeline: MessagePipeline;
  rooms: RoomCoordinator;
  outbound: Outbound;
  /** Publishes the automatic events (ClientConnected, ClientDisconnected) to every node. */
  cluster: Broadcaster;
  bus: Bus;
  authenticator: Authenticator | undefined;
  events: ServerEvents;
  metrics: Metrics;
  logger: Logger;
  /** Gives back the slot a client held under the connection limits: its socket closed. */
  released: (ip: string) => void;
}

/**
 * The life of every connection of this node, from the upgrade to the clean-up after its close:
 * its record, its sign-in (and the timers that come with it), its socket's listeners, its
 * disconnect (rooms, presence, `onDisconnected`) once per client, and `stop()`'s wait for them.
 */
export class Connections {
  /** Pings every client and closes the silent and the inactive (started and stopped by the lifecycle). */
  readonly heartbeat: Heartbeat;
  readonly #deps: ConnectionsDeps;
  readonly #disconnects: Disconnects;
  /**
   * One set of listeners for every socket, with the socket as `this`: closures per connection
   * would cost every idle client a few hundred bytes.
   */
  readonly #listeners = this.#socketListeners();

  constructor(deps: ConnectionsDeps) {
    this.#deps = deps;
    this.heartbeat = new Heartbeat(deps.clients, deps.logger);
    this.#disconnects = new Disconnects(deps.logger);
  }

  /** A socket finished its upgrade: it is a client now (`user` when its token came with it). */
  accept(ws: WebSocket, user: AuthUser | undefined, ip: string): void {
    const { clients, metrics, nodeId, authenticator, events } = this.#deps;
    const client = new Connection({ clientId: randomUUID(), ws, ip });
    const { clientId } = client;
    clients.add(client);
    metrics.connectionsTotal++;
    this.heartbeat.track(ws);
    ws.on('message', this.#listeners.message);
    ws.on('error', this.#listeners.error);
    ws.on('close', this.#listeners.close);
    this.send(ws, { type: 'system', action: 'connected', data: { clientId, nodeId } });
    if (user) this.signIn(client, user);
    else if (authenticator?.required) {
      client.loginDeadline(authenticator.loginTimeoutMs, () =>
        ws.close(CloseCode.TOKEN_EXPIRED, 'authentication required'),
      );
    }
    const userId = client.user?.userId ?? null;
    // Ids only, at debug: never a token, a message body or (at this level) an address.
    this.#deps.logger.debug({ clientId, nodeId, userId }, 'client connected');
    events.onConnected?.({ ws, clientId, userId });
    this.#deps.cluster.publish(WebSocketRedisSubscriberEvent.ClientConnected, { clientId, nodeId, userId });
  }

  /** Makes `user` the client's identity: at the upgrade, on auth.login and on auth.refresh. */
  signIn(client: Connection, user: AuthUser): void {
    const first = client.user === undefined;
    this.#deps.clients.setUser(client.clientId, user);
    client.clearLoginDeadline();
    client.expireAt(user.expiresAt, () => client.ws.close(CloseCode.TOKEN_EXPIRED, 'token expired'));
    if (first) {
      const data = { userId: user.userId, message: 'Authenticated' };
      this.send(client.ws, { type: 'auth', action: 'authenticated', data });
    }
  }

  /** Sends one message to one socket of this node. */
  send(ws: WebSocket, message: unknown): boolean {
    return this.#deps.outbound.send(ws, prepareFrame(message), this.#deps.clients.ofSocket(ws)?.clientId);
  }

  /** The record of a socket of this node; a TypeError for any other socket. */
  clientOf(ws: WebSocket): Connection {
    const client = this.#deps.clients.ofSocket(ws);
    if (!client) throw new TypeError('This socket is not a client of this server');
    return client;
  }

  /** Closes a client wherever it is connected (another node, over the bus). */
  disconnect(clientId: string, code: number, reason: string): void {
    const here = this.#deps.clients.connection(clientId);
    if (here) here.ws.close(code, reason);
    else {
      const header = {
        kind: 'disconnect',
        origin: this.#deps.nodeId,
        client: clientId,
        code,
        reason,
      } as const;
      void this.#deps.bus.publish(BusChannel.broadcast, encodeBusMessage(header, '')).catch(() => {});
    }
  }

  /** It cannot read its close frame: it leaves its rooms and presence now, not at ws's close timeout. */
  closeSlowConsumer(ws: WebSocket): void {
    this.#disconnects.closeUnread(ws, CloseCode.SLOW_CONSUMER, 'slow consumer');
    const client = this.#deps.clients.ofSocket(ws);
    if (client) this.#disconnects.track(this.#disconnected(client, CloseCode.SLOW_CONSUMER, 'slow consumer'));
  }

  /** No timer of any client runs on (stop). */
  clearTimers(): void {
    for (const client of this.#deps.clients.connections()) client.clearTimers();
  }

  /**
   * Stop: closes every client with 1001, each at a random moment of the drain window (`drainMs`,
   * or the default of `drainWindowMs`), so they do not all reconnect elsewhere at once; then
   * waits up to `timeoutMs` for them to go (and destroys the rest), and up to `timeoutMs` more
   * for every disconnect's clean-up.
   */
  async closeAll({ timeoutMs, drainMs }: { timeoutMs: number; drainMs: number | undefined }): Promise<void> {
    const sockets = [...this.#deps.clients.connections()].map(client => client.ws);
    const windowMs = drainWindowMs(drainMs, sockets.length);
    if (windowMs > 0) this.#deps.logger.info({ clients: sockets.length, windowMs }, 'stop: draining clients');
    // Frames waiting for `writeDelayMs` leave now, before the close frames, not a delay later.
    this.#deps.outbound.flush();
    const reason = 'server shutting down';
    await closeAll(sockets, { code: CloseCode.GOING_AWAY, reason, timeoutMs, windowMs });
    await this.#disconnects.drain(timeoutMs);
  }

  async #disconnected(client: Connection, code: number, reason: string): Promise<void> {
    const { clients, rooms, events, nodeId } = this.#deps;
    const { clientId } = client;
    // Once per client: a slow consumer is disconnected at its 4009, before its socket closes.
    if (!clients.remove(clientId)) return;
    client.clearTimers();
    this.#deps.logger.debug({ clientId, nodeId, code, reason }, 'client disconnected');
    await rooms.leaveAll(client);
    events.onDisconnected?.({ clientId, code, reason });
    const userId = client.user?.userId ?? null;
    this.#deps.cluster.publish(WebSocketRedisSubscriberEvent.ClientDisconnected, {
      clientId,
      nodeId,
      userId,
    });
  }

  #socketListeners() {
    const connections = this;
    return {
      message(this: WebSocket, data: RawData, isBinary: boolean): void {
        const client = connections.#deps.clients.ofSocket(this);
        if (client) void connections.#deps.pipeline.handle(client, data, isBinary);
      },
      error(this: WebSocket, error: Error): void {
        const clientId = connections.#deps.clients.ofSocket(this)?.clientId;
        connections.#deps.logger.warn({ err: error, clientId }, 'socket error');
        if (clientId) connections.#deps.events.onError?.({ error, clientId });
      },
      close(this: WebSocket, code: number, reason: Buffer): void {
        const client = connections.#deps.clients.ofSocket(this);
        if (!client) return;
        connections.#deps.released(client.ip);
        connections.#disconnects.track(connections.#disconnected(client, code, reason.toString()));
      },
    };
  }
}
