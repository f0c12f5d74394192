import { type Bus, BusChannel, type BusListener, type History } from '@roomcast/protocol';
import { loadSubscribersFromDirectory, type SubscriberDispatcher } from '@roomcast/subscribers';
import type { Connections } from './connection/connections';
import type { DurablePublisher } from './delivery/durable-publisher';
import type { RoomStreams } from './delivery/room-streams';
import type { HttpGateway } from './http/http-gateway';
import type { ResolvedOptions, WebSocketServerOptions } from './options';
import type { RoomCoordinator } from './rooms/room-coordinator';
import type { Router } from './routing/router';
import type { WebSocketServer } from './server';
import type { ResolvedStopOptions } from './stop-options';

export interface LifecycleDeps {
  server: WebSocketServer;
  options: WebSocketServerOptions;
  resolved: ResolvedOptions;
  nodeId: string;
  bus: Bus;
  receiver: BusListener;
  router: Router;
  subscribers: SubscriberDispatcher;
  rooms: RoomCoordinator;
  streams: RoomStreams;
  durable: DurablePublisher;
  /** The history this server made (none was given): it closes it. */
  ownedHistory: History | undefined;
  connections: Connections;
  gateway: HttpGateway;
}

/**
 * Start and stop. The first `listen()` or `attach()` starts the server: routes and subscribers
 * loaded, the bus subscribed, watchers and timers set. A start that fails undoes all of it and may
 * be tried again. `stop()` undoes everything, in an order that lets every disconnect finish first.
 */
export class Lifecycle {
  readonly #deps: LifecycleDeps;
  #started = false;
  #stopping: Promise<void> | undefined;
  #off: (() => void)[] = [];

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
  }

  get stopping(): boolean {
    return this.#stopping !== undefined;
  }

  /** A failed start leaves nothing behind (subscriptions, timers) and may be tried again. */
  readonly start = async (): Promise<void> => {
    try {
      await this.#start();
    } catch (error) {
      this.#started = false;
      await this.#release();
      throw error;
    }
  };

  /** Calling it twice returns the same promise (the second call's options are not used). */
  stop(options: ResolvedStopOptions): Promise<void> {
    this.#stopping ??= this.#stop(options);
    return this.#stopping;
  }

  async #start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    const { server, options, resolved, nodeId, bus, receiver, router, subscribers } = this.#deps;
    const { logger } = resolved;
    await router.load(options.routes ?? [], {
      controllersDirectory: options.controllersDirectory,
      webSocketServer: server,
    });
    const handlers = options.subscriberHandlers;
    if (handlers?.handlers) subscribers.add(handlers.handlers);
    if (handlers?.directory) subscribers.add(await loadSubscribersFromDirectory(handlers.directory));
    await bus.subscribe(BusChannel.broadcast, receiver);
    await bus.subscribe(BusChannel.node(nodeId), receiver);
    if (subscribers.hasSubscribers) await bus.subscribe(BusChannel.events, receiver);
    this.#off.push(
      bus.onStatusChange(connected => {
        logger.warn({ connected }, `bus ${connected ? 'reconnected' : 'disconnected'}`);
        if (connected && !this.#stopping) this.#deps.streams.resume();
      }),
      this.#deps.rooms.watchExpiredMembers(),
    );
    this.#deps.connections.heartbeat.start(resolved.heartbeat, resolved.inactive);
    if (options.debug?.printRoutes) {
      const routes = router.list().map(r => `${r.type}.${r.action} -> ${r.source}`);
      logger.info({ routes }, 'WebSocket routes');
    }
    if (options.debug?.printSubscribers) subscribers.print(logger);
    options.events?.onServerStarted?.({ webSocketServer: server });
  }

  /** Undoes #start: bus subscriptions and watchers, heartbeat timers. */
  async #release(): Promise<void> {
    const { bus, nodeId, receiver } = this.#deps;
    this.#deps.connections.heartbeat.stop();
    for (const channel of [BusChannel.broadcast, BusChannel.node(nodeId), BusChannel.events]) {
      await bus.unsubscribe(channel, receiver).catch(() => {});
    }
    for (const off of this.#off.splice(0)) off();
  }

  /**
   * Refuses new upgrades (503), closes clients with 1001 over the drain window (the bus stays
   * subscribed meanwhile, so the clients not yet closed keep getting their messages), waits up to
   * `timeoutMs` for them to go, terminates the rest, leaves the room store, unsubscribes the
   * bus, clears every timer.
   */
  async #stop({ timeoutMs, drainMs }: ResolvedStopOptions): Promise<void> {
    const { gateway, connections, rooms, durable, streams, ownedHistory, bus } = this.#deps;
    gateway.refuseNew();
    connections.heartbeat.stop();
    connections.clearTimers();
    // Every disconnect (room store, onDisconnected) finishes before the store forgets this node.
    await connections.closeAll({ timeoutMs, drainMs });
    await rooms.removeNode().catch(() => {});
    await this.#release();
    durable.close();
    streams.close();
    await ownedHistory?.close();
    await gateway.close();
    if (!this.#deps.options.bus) await bus.close();
  }
}
