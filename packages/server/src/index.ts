export { WebSocketServerBaseController } from './base-controller';
export type {
  BroadcastToAllOptions,
  BroadcastToClientOptions,
  BroadcastToRoomOptions,
  BroadcastToUsersOptions,
} from './broadcaster';
export { Broadcaster } from './broadcaster';
export type { TrustProxy } from './client-address';
export type { ConnectedClient } from './client-manager';
export { ClientManager } from './client-manager';
export type { ServerEvents } from './events';
export type { BroadcastPredicate, PredicateTarget } from './local-delivery';
export type { MemoryBusOptions } from './memory-bus';
export { MemoryBus } from './memory-bus';
export type { Health } from './metrics';
export type {
  HandshakeOptions,
  HeartbeatOptions,
  InactiveClientsOptions,
  JoinRequest,
  RoomOptions,
  SubscriberHandlersOptions,
  WebSocketServerOptions,
} from './options';
export {
  DEFAULT_HANDSHAKE,
  DEFAULT_HEARTBEAT,
  DEFAULT_ROOM_OPTIONS,
  WEBSOCKET_SERVER_OPTION_KEYS,
} from './options';
export { RoomManager } from './room-manager';
export type { ControllerClass, RouteDefinition, RouteHandler, RoutesOf, TypedRoute } from './routes';
export { route } from './routes';
export type { ListenOptions } from './server';
export { WebSocketServer } from './server';
export type { WebSocketServiceOptions } from './websocket-service';
export { WebSocketService } from './websocket-service';
