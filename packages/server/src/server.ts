import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type AuthUser,
  type Bus,
  BusChannel,
  type BusListener,
  CloseCode,
  encodeBusMessage,
  type History,
  type RoomMember,
  type UserId,
  WebSocketRedisSubscriberEvent,
} from '@roomcast/protocol';
import { createRoomSettings, MemoryHistory, MemoryRoomStore, RoomIndex } from '@roomcast/rooms';
import { loadSubscribersFromDirectory, SubscriberDispatcher } from '@roomcast/subscribers';
import { type RawData, type WebSocket, WebSocketServer as WsServer } from 'ws';
import {
  Broadcaster,
  type BroadcastToAllOptions,
  type BroadcastToClientOptions,
  type BroadcastToRoomOptions,
  type BroadcastToUsersOptions,
} from './broadcaster';
import { createBusReceiver } from './bus-receiver';
import { ClientManager, type ConnectedClient } from './client-manager';
import { closeAll, Disconnects } from './disconnects';
import { DurablePublisher } from './durable-publisher';
import { createHandshakeGuard } from './handshake-guard';
import { Heartbeat } from './heartbeat';
import { HttpGateway, type ListenOptions } from './http-gateway';
import { LocalDelivery } from './local-delivery';
import { MemoryBus } from './memory-bus';
import { MessagePipeline } from './message-pipeline';
import { type Health, Metrics, toPrometheus } from './metrics';
import { type ResolvedOptions, resolveOptions, type WebSocketServerOptions } from './options';
import { Outbound } from './outbound';
import { prepareFrame } from './prepared-frame';
import { RecoveryGates } from './recovery-gate';
import { RoomManager } from './room-manager';
import { RoomStreams } from './room-streams';
import { Router } from './router';
import { SessionTimers } from './session-timers';
import { registerSystemRoutes } from './system-routes';

export type { ListenOptions } from './http-gateway';

/**
 * The Roomcast WebSocket server: the guide's API on `ws`, on one node or many (give it a Redis
 * bus and store). Broadcast calls on the server reach every node; `server.local` reaches this
 * node's clients only.
 *
 * @example
 * const server = new WebSocketServer({ routes: [{ type: 'chat', action: 'send', handler: (ws, id, data) => ({ ok: true }) }] });
 * const { port } = await server.listen({ port: 3000 });
 */
export class WebSocketServer {
  readonly nodeId: string;
  readonly clientManager = new ClientManager();
  readonly roomManager: RoomManager;
  /** The same broadcast calls for this node's clients only (what subscriber handlers get). */
  readonly local: Broadcaster;
  readonly #options: WebSocketServerOptions;
  readonly #resolved: ResolvedOptions;
  readonly #cluster: Broadcaster;
  readonly #bus: Bus;
  readonly #metrics = new Metrics();
  readonly #outbound: Outbound;
  readonly #router = new Router();
  readonly #pipeline: MessagePipeline;
  readonly #timers = new SessionTimers();
  readonly #heartbeat: Heartbeat;
  readonly #subscribers: SubscriberDispatcher;
  readonly #receiver: BusListener;
  readonly #byWs = new WeakMap<WebSocket, ConnectedClient>();
  /**
   * One set of listeners for every socket, with the socket as `this`: closures per connection
   * would cost every idle client a few hundred bytes.
   */
  readonly #socketListeners = this.#createSocketListeners();
  readonly #disconnects: Disconnects;
  readonly #wss: WsServer;
  readonly #gateway: HttpGateway;
  #started = false;
  #stopping: Promise<void> | undefined;
  #busStatusOff: (() => void) | undefined;
  readonly #streams: { streams: RoomStreams; durable: DurablePublisher; ownedHistory: History | undefined };
  #expiredMembersOff: (() => void) | undefined;

  constructor(options: WebSocketServerOptions = {}) {
    this.#options = options;
    this.#resolved = resolveOptions(options);
    const { logger, limits } = this.#resolved;
    this.nodeId = options.nodeId ?? randomUUID();
    this.#bus = options.bus ?? new MemoryBus({ logger });
    this.#outbound = new Outbound({
      metrics: this.#metrics,
      limits,
      logger,
      closeSlowConsumer: ws => this.#closeSlowConsumer(ws),
    });
    this.#disconnects = new Disconnects(logger);
    const index = new RoomIndex();
    const gates = new RecoveryGates();
    const local = new LocalDelivery(this.clientManager, index, this.#outbound, gates);
    const roomSettings = createRoomSettings(this.#resolved.rooms.patterns);
    const history = options.history ?? new MemoryHistory();
    const streams = new RoomStreams({
      history,
      local,
      logger,
      appendsSettled: (): Promise<void> => durable.settled(APPENDS_SETTLE_MS),
    });
    const durable = new DurablePublisher({
      nodeId: this.nodeId,
      bus: this.#bus,
      history,
      streams,
      logger,
      maxLiveDelayMs: this.#resolved.rooms.maxLiveDelayMs,
    });
    this.#streams = { streams, durable, ownedHistory: options.history ? undefined : history };
    const dispatchEvent = (channel: string, message: unknown) =>
      void this.#subscribers.dispatch(channel, message);
    const deps = { nodeId: this.nodeId, bus: this.#bus, local, durable, roomSettings, dispatchEvent, logger };
    this.#cluster = new Broadcaster(deps, 'cluster');
    this.local = new Broadcaster(deps, 'local');
    this.#subscribers = new SubscriberDispatcher({
      logger,
      context: { ...options.subscriberContext, webSocketServer: this.local, bus: this.#bus, server: this },
    });
    this.#receiver = createBusReceiver({
      nodeId: this.nodeId,
      local,
      streams,
      durable,
      metrics: this.#metrics,
      logger,
      dispatchEvent,
      disconnect: (clientId, code, reason) =>
        this.clientManager.getClient({ clientId })?.ws.close(code, reason),
    });
    this.roomManager = new RoomManager({
      nodeId: this.nodeId,
      index,
      store: options.roomStore ?? new MemoryRoomStore(),
      bus: this.#bus,
      busListener: this.#receiver,
      history,
      options: this.#resolved.rooms,
      roomSettings,
      broadcaster: this.#cluster,
      outbound: this.#outbound,
      gates,
      streams,
      logger,
    });
    this.#pipeline = new MessagePipeline({
      router: this.#router,
      outbound: this.#outbound,
      metrics: this.#metrics,
      limits,
      events: options.events ?? {},
      logger,
      awaitingLogin: client => client.user === undefined && options.authenticator?.required === true,
    });
    this.#heartbeat = new Heartbeat(this.clientManager, logger);
    // noServer: the caller owns the HTTP server (node:http, Fastify, Express); ws only frames.
    this.#wss = new WsServer({
      noServer: true,
      maxPayload: limits.maxPayload,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.#gateway = new HttpGateway({
      guard: createHandshakeGuard(this.#resolved, this.#metrics),
      wss: this.#wss,
      gate: {
        allowedOrigins: this.#resolved.allowedOrigins,
        authenticator: options.authenticator,
        metrics: this.#metrics,
        logger,
        isStopping: () => this.#stopping !== undefined,
      },
      connected: (ws, user, ip) => this.#connected(ws, user, ip),
    });
    registerSystemRoutes(this.#router, {
      clients: this.clientManager,
      rooms: this.roomManager,
      authenticator: options.authenticator,
      signIn: (client, user) => this.#signIn(client, user),
    });
  }

  /** The guide's `server.rooms`: room name -> Set of this node's client ids. */
  get rooms(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.roomManager.rooms;
  }

  /** Shares a port with an existing HTTP server; resolves when upgrades are accepted. */
  attach(server: HttpServer, { path = '/ws' }: { path?: string } = {}): Promise<void> {
    return this.#gateway.attach(server, path, this.#startOrUndo);
  }

  /** Starts a standalone HTTP server for WebSockets (127.0.0.1 and a free port by default). */
  listen(options: ListenOptions = {}): Promise<AddressInfo & { url: string }> {
    return this.#gateway.listen(options, this.#startOrUndo);
  }

  // ---- the guide's calls ----------------------------------------------------------------------

  broadcastToAllClients(options: BroadcastToAllOptions): void {
    this.#cluster.broadcastToAllClients(options);
  }
  broadcastToRoom(options: BroadcastToRoomOptions): Promise<void> {
    return this.#cluster.broadcastToRoom(options);
  }
  broadcastToUsers(options: BroadcastToUsersOptions): void {
    this.#cluster.broadcastToUsers(options);
  }
  broadcastToClient(options: BroadcastToClientOptions): void {
    this.#cluster.broadcastToClient(options);
  }
  broadcastToClients(clientIds: string[], data: unknown): void {
    this.#cluster.broadcastToClients(clientIds, data);
  }
  sendMessageToAll(options: { data: unknown }): void {
    this.#cluster.sendMessageToAll(options);
  }
  sendCustomMessage(options: { data: unknown }): void {
    this.#cluster.sendCustomMessage(options);
  }
  /** Reaches subscribers of `channel` on every node. */
  publish(channel: string, message: unknown): void {
    this.#cluster.publish(channel, message);
  }

  /** Sends one message to one socket of this node. */
  sendClientMessage(ws: WebSocket, message: unknown): boolean {
    return this.#outbound.send(ws, prepareFrame(message), this.#byWs.get(ws)?.clientId);
  }

  /** Server-side join (the guide's `joinRoom({ ws, roomName, username })`); userId comes from auth only. */
  joinRoom({
    ws,
    roomName,
    username,
  }: {
    ws: WebSocket;
    roomName: string;
    username?: string;
    [key: string]: unknown;
  }) {
    return this.roomManager.join({ client: this.#clientOf(ws), roomName, username });
  }

  leaveRoom({ ws, roomName }: { ws: WebSocket; roomName: string }) {
    return this.roomManager.leave({ client: this.#clientOf(ws), roomName });
  }

  /** Members of a room on every node. */
  getRoomMembers(roomName: string): Promise<RoomMember[]> {
    return this.roomManager.getRoomMembers(roomName);
  }

  /** Rooms with members on any node. */
  getRooms(): Promise<string[]> {
    return this.roomManager.getRooms();
  }

  /** Closes a client wherever it is connected. */
  disconnectClient(clientId: string, code: number = CloseCode.NORMAL, reason = ''): void {
    const here = this.clientManager.getClient({ clientId });
    if (here) here.ws.close(code, reason);
    else {
      const header = { kind: 'disconnect', origin: this.nodeId, client: clientId, code, reason } as const;
      void this.#bus.publish(BusChannel.broadcast, encodeBusMessage(header, '')).catch(() => {});
    }
  }

  /** Clients of a user on this node. */
  getClientIdsOfUser(userId: UserId): ReadonlySet<string> {
    return this.clientManager.getClientIdsOfUser(userId);
  }

  getHealth(): Health {
    const status = this.#stopping ? 'stopping' : this.#bus.connected ? 'healthy' : 'degraded';
    return {
      status,
      nodeId: this.nodeId,
      uptimeMs: Date.now() - this.#metrics.startedAt,
      activeConnections: this.clientManager.size,
      rooms: this.roomManager.rooms.size,
      messagesIn: this.#metrics.messagesIn,
      messagesOut: this.#metrics.messagesOut,
      dropped: this.#metrics.dropped,
      rateLimited: this.#metrics.rateLimited,
      bus: { connected: this.#bus.connected },
    };
  }

  /** Prometheus text for `/metrics`. */
  metrics(): string {
    return toPrometheus(this.getHealth(), this.#metrics);
  }

  /**
   * Refuses new upgrades (503), closes clients with 1001, waits up to `timeoutMs` for them to
   * go, terminates the rest, leaves the room store, unsubscribes the bus, clears every timer.
   * Calling it twice returns the same promise.
   */
  stop({ timeoutMs = 5_000 }: { timeoutMs?: number } = {}): Promise<void> {
    this.#stopping ??= this.#stop(timeoutMs);
    return this.#stopping;
  }

  // ---- internals ------------------------------------------------------------------------------

  async #start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { logger } = this.#resolved;
    await this.#router.load(this.#options.routes ?? [], {
      controllersDirectory: this.#options.controllersDirectory,
      webSocketServer: this,
    });
    const handlers = this.#options.subscriberHandlers;
    if (handlers?.handlers) this.#subscribers.add(handlers.handlers);
    if (handlers?.directory) this.#subscribers.add(await loadSubscribersFromDirectory(handlers.directory));
    await this.#bus.subscribe(BusChannel.broadcast, this.#receiver);
    await this.#bus.subscribe(BusChannel.node(this.nodeId), this.#receiver);
    if (this.#subscribers.hasSubscribers) await this.#bus.subscribe(BusChannel.events, this.#receiver);
    this.#busStatusOff = this.#bus.onStatusChange(connected => {
      logger.warn({ connected }, `bus ${connected ? 'reconnected' : 'disconnected'}`);
      if (connected && !this.#stopping) this.#streams.streams.resume();
    });
    this.#expiredMembersOff = this.roomManager.watchExpiredMembers();
    this.#heartbeat.start(this.#resolved.heartbeat, this.#resolved.inactive);
    if (this.#options.debug?.printRoutes) {
      logger.info(
        { routes: this.#router.list().map(r => `${r.type}.${r.action} -> ${r.source}`) },
        'WebSocket routes',
      );
    }
    if (this.#options.debug?.printSubscribers) this.#subscribers.print(logger);
    this.#options.events?.onServerStarted?.({ webSocketServer: this });
  }

  #connected(ws: WebSocket, user: AuthUser | undefined, ip: string): void {
    const now = Date.now();
    const client: ConnectedClient = {
      clientId: randomUUID(),
      ws,
      user: undefined,
      username: null,
      ip,
      connectedAt: now,
      lastActivity: now,
    };
    const { clientId } = client;
    this.clientManager.add(client);
    this.#byWs.set(ws, client);
    this.#metrics.connectionsTotal++;
    this.#heartbeat.track(ws);
    ws.on('message', this.#socketListeners.message);
    ws.on('error', this.#socketListeners.error);
    ws.on('close', this.#socketListeners.close);
    this.sendClientMessage(ws, {
      type: 'system',
      action: 'connected',
      data: { clientId, nodeId: this.nodeId },
    });
    if (user) this.#signIn(client, user);
    else if (this.#options.authenticator?.required) {
      this.#timers.loginDeadline(clientId, this.#options.authenticator.loginTimeoutMs, () =>
        ws.close(CloseCode.TOKEN_EXPIRED, 'authentication required'),
      );
    }
    this.#options.events?.onConnected?.({ ws, clientId, userId: client.user?.userId ?? null });
    this.#cluster.publish(WebSocketRedisSubscriberEvent.ClientConnected, {
      clientId,
      nodeId: this.nodeId,
      userId: client.user?.userId ?? null,
    });
  }

  /** Makes `user` the client's identity: at the upgrade, on auth.login and on auth.refresh. */
  #signIn(client: ConnectedClient, user: AuthUser): void {
    const first = client.user === undefined;
    this.clientManager.setUser(client.clientId, user);
    this.#timers.loggedIn(client.clientId);
    if (user.expiresAt === undefined) this.#timers.neverExpire(client.clientId);
    else {
      this.#timers.expireAt(client.clientId, user.expiresAt, () =>
        client.ws.close(CloseCode.TOKEN_EXPIRED, 'token expired'),
      );
    }
    if (first) {
      this.sendClientMessage(client.ws, {
        type: 'auth',
        action: 'authenticated',
        data: { userId: user.userId, message: 'Authenticated' },
      });
    }
  }

  #createSocketListeners() {
    const server = this;
    return {
      message(this: WebSocket, data: RawData, isBinary: boolean): void {
        const client = server.#byWs.get(this);
        if (client) void server.#pipeline.handle(client, data, isBinary);
      },
      error(this: WebSocket, error: Error): void {
        const clientId = server.#byWs.get(this)?.clientId;
        server.#resolved.logger.warn({ err: error, clientId }, 'socket error');
        if (clientId) server.#options.events?.onError?.({ error, clientId });
      },
      close(this: WebSocket, code: number, reason: Buffer): void {
        const client = server.#byWs.get(this);
        if (client) server.#disconnects.track(server.#disconnected(client, code, reason.toString()));
      },
    };
  }

  async #disconnected(client: ConnectedClient, code: number, reason: string): Promise<void> {
    const { clientId } = client;
    // Once per client: a slow consumer is disconnected at its 4009, before its socket closes.
    if (!this.clientManager.remove(clientId)) return;
    this.#byWs.delete(client.ws);
    this.#timers.clear(clientId);
    await this.roomManager.leaveAll(client);
    this.#options.events?.onDisconnected?.({ clientId, code, reason });
    this.#cluster.publish(WebSocketRedisSubscriberEvent.ClientDisconnected, {
      clientId,
      nodeId: this.nodeId,
      userId: client.user?.userId ?? null,
    });
  }

  /** It cannot read its close frame: it leaves its rooms and presence now, not at ws's close timeout. */
  #closeSlowConsumer(ws: WebSocket): void {
    this.#disconnects.closeUnread(ws, CloseCode.SLOW_CONSUMER, 'slow consumer');
    const client = this.#byWs.get(ws);
    if (client) this.#disconnects.track(this.#disconnected(client, CloseCode.SLOW_CONSUMER, 'slow consumer'));
  }

  #clientOf(ws: WebSocket): ConnectedClient {
    const client = this.#byWs.get(ws);
    if (!client) throw new TypeError('This socket is not a client of this server');
    return client;
  }

  /** Undoes #start: bus subscriptions and watchers, heartbeat timers. */
  async #release(): Promise<void> {
    this.#heartbeat.stop();
    for (const channel of [BusChannel.broadcast, BusChannel.node(this.nodeId), BusChannel.events]) {
      await this.#bus.unsubscribe(channel, this.#receiver).catch(() => {});
    }
    this.#busStatusOff?.();
    this.#expiredMembersOff?.();
    this.#busStatusOff = this.#expiredMembersOff = undefined;
  }

  /** A failed start leaves nothing behind (subscriptions, timers) and may be tried again. */
  readonly #startOrUndo = async (): Promise<void> => {
    try {
      await this.#start();
    } catch (error) {
      this.#started = false;
      await this.#release();
      throw error;
    }
  };

  async #stop(timeoutMs: number): Promise<void> {
    this.#gateway.refuseNew();
    this.#heartbeat.stop();
    this.#timers.clearAll();
    const sockets = [...this.clientManager.getClients()].map(client => client.ws);
    await closeAll(sockets, { code: CloseCode.GOING_AWAY, reason: 'server shutting down', timeoutMs });
    // Every disconnect (room store, onDisconnected) finishes before the store forgets this node.
    await this.#disconnects.drain(timeoutMs);
    await this.roomManager.removeNode().catch(() => {});
    await this.#release();
    this.#streams.durable.close();
    this.#streams.streams.close();
    await this.#streams.ownedHistory?.close();
    this.#wss.close();
    await this.#gateway.close();
    if (!this.#options.bus) await this.#bus.close();
  }
}

/** How long a resyncing room waits for this node's appends in flight before it reads the stream. */
const APPENDS_SETTLE_MS = 5_000;
