import { randomUUID } from 'node:crypto';
import type { Bus } from '@roomcast/protocol';
import { MemoryHistory, MemoryRoomStore } from '@roomcast/rooms';
import { SubscriberDispatcher } from '@roomcast/subscribers';
import type { ClientRegistry } from './connection/client-registry';
import { Connections } from './connection/connections';
import type { Broadcaster } from './delivery/broadcaster';
import { createDelivery } from './delivery/delivery';
import { createHttpGateway, type HttpGateway } from './http/http-gateway';
import { Lifecycle } from './lifecycle';
import { MemoryBus } from './memory-bus';
import type { Metrics } from './metrics';
import { resolveOptions, type WebSocketServerOptions } from './options';
import { RoomCoordinator } from './rooms/room-coordinator';
import { RoomMembers } from './rooms/room-members';
import { MessagePipeline } from './routing/message-pipeline';
import { Router } from './routing/router';
import { registerSystemRoutes, type SystemRouteDeps } from './routing/system-routes';
import type { WebSocketServer } from './server';

/** The parts a `WebSocketServer` answers its public calls with. */
export interface ServerParts {
  nodeId: string;
  bus: Bus;
  cluster: Broadcaster;
  local: Broadcaster;
  rooms: RoomCoordinator;
  pipeline: MessagePipeline;
  connections: Connections;
  gateway: HttpGateway;
  lifecycle: Lifecycle;
  drainMs: number | undefined;
}

/**
 * Makes the server's parts in the order they need each other, from the options and the two
 * records the server owns (its clients and metrics). Callbacks reach parts made later.
 */
export function wireServer(
  server: WebSocketServer,
  options: WebSocketServerOptions,
  clients: ClientRegistry,
  metrics: Metrics,
): ServerParts {
  const resolved = resolveOptions(options);
  const { logger } = resolved;
  const { authenticator, events = {} } = options;
  const bus = options.bus ?? new MemoryBus({ logger });
  const history = options.history ?? new MemoryHistory();
  const nodeId = options.nodeId ?? randomUUID();
  const members = new RoomMembers();
  const core = { nodeId, bus, history, clients, members, resolved, metrics, logger, authenticator, events };
  const delivery = createDelivery({
    ...core,
    closeSlowConsumer: ws => connections.closeSlowConsumer(ws),
    dispatchEvent: (channel, message) => void subscribers.dispatch(channel, message),
    disconnect: (clientId, code, reason) => clients.connection(clientId)?.ws.close(code, reason),
  });
  const parts = { ...core, ...delivery };
  const context = { ...options.subscriberContext, webSocketServer: parts.localScope, bus, server };
  const subscribers = new SubscriberDispatcher({ logger, context });
  const rooms = new RoomCoordinator({ ...parts, store: options.roomStore ?? new MemoryRoomStore() });
  const router = new Router();
  const pipeline = new MessagePipeline({ ...parts, router, server });
  const connections = new Connections({ ...parts, pipeline, rooms, released: ip => gateway.released(ip) });
  const gateway = createHttpGateway(resolved, metrics, {
    authenticator,
    connected: (ws, user, ip) => connections.accept(ws, user, ip),
  });
  const signIn: SystemRouteDeps['signIn'] = (client, user) => connections.signIn(client, user);
  registerSystemRoutes(router, { ...parts, rooms, signIn });
  const ownedHistory = options.history ? undefined : history;
  const started = { server, options, router, subscribers, rooms, ownedHistory, connections };
  const lifecycle = new Lifecycle({ ...parts, ...started, gateway });
  const { cluster, localScope: local } = parts;
  return {
    nodeId,
    bus,
    cluster,
    local,
    rooms,
    pipeline,
    connections,
    gateway,
    lifecycle,
    drainMs: resolved.drainMs,
  };
}
