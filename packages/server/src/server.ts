import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode, type PushMap, type PushMessage, type RoomMember, type UserId } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import { type ClientManager, ClientRegistry } from './connection/client-registry';
import type * as Broadcasts from './delivery/broadcaster';
import type { ListenOptions } from './http/http-gateway';
import { type Health, healthOf, Metrics, roomcastFamilies } from './metrics';
import { type MetricFamily, toExposition } from './observability/exposition';
import { processFamilies } from './observability/process-metrics';
import { type PromClientRegistry, registerFamilies } from './observability/prom-client';
import type { WebSocketServerOptions } from './options';
import type { RoomManager } from './rooms/room-manager';
import type { RouteMiddleware } from './routing/middleware/compose';
import { resolveStopOptions, type StopOptions } from './stop-options';
import { type ServerParts, wireServer } from './wiring';

export type { ListenOptions } from './http/http-gateway';

/** The guide passes more keys (a `userId`, say): they are ignored, identity comes from auth. */
type JoinRoomCall = { ws: WebSocket; roomName: string; username?: string; [key: string]: unknown };

/**
 * The Roomcast WebSocket server: the guide's API on `ws`, on one node or many (give it a Redis
 * bus and store). Broadcast calls on the server reach every node; `server.local` reaches this
 * node's clients only. This class only wires the parts (connection/, delivery/, rooms/,
 * routing/, http/) and answers the public calls.
 *
 * @example
 * const server = new WebSocketServer({ routes: [{ type: 'chat', action: 'send', handler: (ws, id, data) => ({ ok: true }) }] });
 * const { port } = await server.listen({ port: 3000 });
 * // Typed pushes: `new WebSocketServer<Pushes>(...)` with a `PushMap` shared with the client.
 */
export class WebSocketServer<TPushes extends PushMap = PushMap> {
  readonly nodeId: string;
  readonly #clients = new ClientRegistry();
  /** The guide's views of this node's clients and rooms (`getClient`, `printRooms()`, ...). */
  readonly clientManager: ClientManager = this.#clients;
  readonly roomManager: RoomManager;
  /** The same broadcast calls for this node's clients only (what subscriber handlers get). */
  readonly local: Broadcasts.Broadcaster<TPushes>;
  readonly #cluster: Broadcasts.Broadcaster<TPushes>;
  readonly #metrics = new Metrics();
  readonly #parts: ServerParts;

  constructor(options: WebSocketServerOptions = {}) {
    const parts = wireServer(this as unknown as WebSocketServer, options, this.#clients, this.#metrics);
    // Pushes are typed at the app's edge only (`TPushes`): the parts inside take any frame.
    type Typed = Broadcasts.Broadcaster<TPushes>;
    [this.#cluster, this.local] = [parts.cluster, parts.local] as unknown as [Typed, Typed];
    [this.nodeId, this.roomManager, this.#parts] = [parts.nodeId, parts.rooms, parts];
  }

  /** The guide's `server.rooms`: room name -> Set of this node's client ids. */
  get rooms(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.roomManager.rooms;
  }

  /** Shares a port with an existing HTTP server; resolves when upgrades are accepted. */
  attach(server: HttpServer, { path = '/ws' }: { path?: string } = {}): Promise<void> {
    return this.#parts.gateway.attach(server, path, this.#parts.lifecycle.start);
  }

  /** Starts a standalone HTTP server for WebSockets (127.0.0.1 and a free port by default). */
  listen(options: ListenOptions = {}): Promise<AddressInfo & { url: string }> {
    return this.#parts.gateway.listen(options, this.#parts.lifecycle.start);
  }

  /**
   * Adds route middleware that runs for every message, built-in routes included, before the
   * route's own `middleware` (see the README: "Route middleware").
   * @example server.use(async function audit(ctx, next) { await next(); log(ctx.type, ctx.action); });
   */
  use(...middleware: RouteMiddleware[]): this {
    this.#parts.pipeline.use(middleware);
    return this;
  }

  // ---- the guide's calls ----------------------------------------------------------------------

  broadcastToAllClients(options: Broadcasts.BroadcastToAllOptions<TPushes>): void {
    this.#cluster.broadcastToAllClients(options);
  }
  broadcastToRoom(options: Broadcasts.BroadcastToRoomOptions<TPushes>): Promise<void> {
    return this.#cluster.broadcastToRoom(options);
  }
  broadcastToUsers(options: Broadcasts.BroadcastToUsersOptions<TPushes>): void {
    this.#cluster.broadcastToUsers(options);
  }
  broadcastToClient(options: Broadcasts.BroadcastToClientOptions<TPushes>): void {
    this.#cluster.broadcastToClient(options);
  }
  broadcastToClients(clientIds: string[], data: PushMessage<TPushes>): void {
    this.#cluster.broadcastToClients(clientIds, data);
  }
  sendMessageToAll(options: { data: PushMessage<TPushes> }): void {
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
  sendClientMessage(ws: WebSocket, message: PushMessage<TPushes>): boolean {
    return this.#parts.connections.send(ws, message);
  }

  /** Server-side join (the guide's `joinRoom({ ws, roomName, username })`); userId comes from auth only. */
  joinRoom({ ws, roomName, username }: JoinRoomCall) {
    return this.#parts.rooms.join({ client: this.#parts.connections.clientOf(ws), roomName, username });
  }

  leaveRoom({ ws, roomName }: { ws: WebSocket; roomName: string }) {
    return this.#parts.rooms.leave({ client: this.#parts.connections.clientOf(ws), roomName });
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
    this.#parts.connections.disconnect(clientId, code, reason);
  }

  /** Clients of a user on this node. */
  getClientIdsOfUser(userId: UserId): ReadonlySet<string> {
    return this.clientManager.getClientIdsOfUser(userId);
  }

  getHealth(): Health {
    const [activeConnections, rooms, stopping] = [
      this.clientManager.size,
      this.roomManager.rooms.size,
      this.#parts.lifecycle.stopping,
    ];
    return healthOf(this.#metrics, {
      nodeId: this.nodeId,
      bus: this.#parts.bus,
      activeConnections,
      rooms,
      stopping,
    });
  }

  /** Prometheus text (format 0.0.4) for `/metrics`: Roomcast's families and the process's. */
  metrics(): string {
    return toExposition([...this.#families(), ...processFamilies()]);
  }

  /**
   * Puts Roomcast's metric families into a prom-client (v15) `Registry`, read at each of its
   * scrapes; returns the call that takes them out. The process metrics (`process_*`,
   * `nodejs_*`) come too only with `processMetrics: true`: an app with `collectDefaultMetrics`
   * has them already, and prom-client refuses a name twice.
   * @example
   * import { Registry, collectDefaultMetrics } from 'prom-client';
   * const registry = new Registry();
   * collectDefaultMetrics({ register: registry });
   * server.registerMetrics(registry);
   * app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()));
   */
  registerMetrics(registry: PromClientRegistry, { processMetrics = false } = {}): () => void {
    const families = [...this.#families(), ...(processMetrics ? processFamilies() : [])];
    return registerFamilies(registry, families);
  }

  #families(): MetricFamily[] {
    return roomcastFamilies(() => this.getHealth(), this.#metrics);
  }

  /**
   * Refuses new upgrades (503), closes clients with 1001 spread over the drain window (`drainMs`),
   * waits up to `timeoutMs` for them to go, terminates the rest, leaves the room store,
   * unsubscribes the bus, clears every timer. Calling it twice returns the same promise.
   * @example await server.stop({ drainMs: 5_000 }); // a node of 5,000 clients: ~1,000 reconnects/s elsewhere
   */
  stop(options: StopOptions = {}): Promise<void> {
    return this.#parts.lifecycle.stop(resolveStopOptions(options, this.#parts.drainMs));
  }
}
