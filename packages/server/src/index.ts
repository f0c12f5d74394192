// From @roomcast/protocol, so an app on the server package alone needs no second import: the
// push map types, and the error a handler throws to tell the user why (code and message reach the client).
export type { PushMap, PushMessage } from '@roomcast/protocol';
export { ErrorCode, RoomcastError } from '@roomcast/protocol';
export type { ClientManager } from './connection/client-registry';
export type { ConnectedClient } from './connection/connection';
export { DEFAULT_MAX_DRAIN_MS } from './connection/drain';
export type {
  Broadcaster,
  BroadcastToAllOptions,
  BroadcastToClientOptions,
  BroadcastToRoomOptions,
  BroadcastToUsersOptions,
} from './delivery/broadcaster';
export type { BroadcastPredicate, PredicateTarget } from './delivery/local-delivery';
export type { WebSocketServiceOptions } from './delivery/websocket-service';
export { WebSocketService } from './delivery/websocket-service';
export type { ServerEvents } from './events';
export type { TrustProxy } from './http/client-address';
export type { MemoryBusOptions } from './memory-bus';
export { MemoryBus } from './memory-bus';
export type { Health } from './metrics';
export type { PromClientRegistry } from './observability/prom-client';
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
export { WEBSOCKET_SERVER_OPTIONS_SCHEMA } from './options-schema';
export type { RoomManager } from './rooms/room-manager';
export { WebSocketServerBaseController } from './routing/base-controller';
export type {
  MiddlewareContext,
  MiddlewareNext,
  RouteInfo,
  RouteMiddleware,
} from './routing/middleware/compose';
export type { ControllerClass, RouteDefinition, RouteHandler, RoutesOf, TypedRoute } from './routing/routes';
export { route } from './routing/routes';
export type { ListenOptions } from './server';
export { WebSocketServer } from './server';
export type { StopOptions } from './stop-options';
