// Node entry: the browser entry's names, with `ws` as the WebSocket when the runtime has none
// (createClient, RoomcastClient and WebSocketClient come from ./node).
export type { PushMap } from '@roomcast/protocol';
export type { ClientStats, JoinRoomOptions } from './client';
export type { ClientEvents, MessageHandler, Unsubscribe } from './emitter';
export type {
  WebSocketClientControllerClass,
  WebSocketClientEvents,
  WebSocketClientProps,
  WebSocketClientRoute,
} from './guide-client';
export { WebSocketClientBaseController } from './guide-client';
export { createClient, RoomcastClient, WebSocketClient } from './node';
export type { ClientOptions, ReconnectOptions, WebSocketConstructor, WebSocketLike } from './options';
export { backoffDelay, CLIENT_OPTIONS_SCHEMA, DEFAULT_CLIENT_OPTIONS, DEFAULT_RECONNECT } from './options';
export type { DataArgs, RouteAction, RouteData, RouteResponse, RouteType } from './typed-routes';
