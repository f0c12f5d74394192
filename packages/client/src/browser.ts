// Browser entry: the global WebSocket only, no Node built-ins and no `ws`.
export type { PushMap } from '@roomcast/protocol';
export type { ClientStats, JoinRoomOptions } from './client';
export { createClient, RoomcastClient } from './client';
export type { ClientEvents, MessageHandler, Unsubscribe } from './emitter';
export type {
  WebSocketClientControllerClass,
  WebSocketClientEvents,
  WebSocketClientProps,
  WebSocketClientRoute,
} from './guide-client';
export { WebSocketClient, WebSocketClientBaseController } from './guide-client';
export type { ClientOptions, ReconnectOptions, WebSocketConstructor, WebSocketLike } from './options';
export { backoffDelay, CLIENT_OPTIONS_SCHEMA, DEFAULT_CLIENT_OPTIONS, DEFAULT_RECONNECT } from './options';
export type { DataArgs, RouteAction, RouteData, RouteResponse, RouteType } from './typed-routes';
