// `roomcast/client`: the client side only, safe for a browser bundle. It imports nothing of Node
// and no server package; `@roomcast/client` gives a bundler its browser build (global WebSocket)
// through its `browser` export condition, and Node its build with `ws`.
export type {
  ClientEvents,
  ClientOptions,
  ClientStats,
  DataArgs,
  JoinRoomOptions,
  MessageHandler,
  PushMap,
  ReconnectOptions,
  RouteAction,
  RouteData,
  RouteResponse,
  RouteType,
  Unsubscribe,
  WebSocketClientControllerClass,
  WebSocketClientEvents,
  WebSocketClientProps,
  WebSocketClientRoute,
  WebSocketConstructor,
  WebSocketLike,
} from '@roomcast/client';
export {
  backoffDelay,
  createClient,
  DEFAULT_CLIENT_OPTIONS,
  DEFAULT_RECONNECT,
  RoomcastClient,
  WebSocketClient,
  WebSocketClientBaseController,
} from '@roomcast/client';
export type { ErrorBody, RequestId, ServerFrame } from '@roomcast/protocol';
export { CloseCode, ErrorCode, isRoomcastError, RoomcastError } from '@roomcast/protocol';
