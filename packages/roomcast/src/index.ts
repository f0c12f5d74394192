// The umbrella: every public name of the server-side packages, plus WebApplication. `export *`
// of two packages with the same name is a compile error (TS2308), so collisions cannot slip in.
export * from '@roomcast/auth';
// The client, by name (`roomcast/client` has the same names for browser bundles).
export type {
  ClientEvents,
  ClientOptions,
  ClientStats,
  JoinRoomOptions,
  MessageHandler,
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
export * from '@roomcast/protocol';
// By name as well: publishing from a process without sockets is the umbrella's story too (SPEC 8).
export type { Emitter, EmitterOptions } from '@roomcast/redis';
export * from '@roomcast/redis';
export { createBusEmitter, createEmitter } from '@roomcast/redis';
export * from '@roomcast/rooms';
export * from '@roomcast/server';
export * from '@roomcast/subscribers';
export type { WebSocketClientConfig } from './client-config';
export type { ApiConfig } from './http-api/api-options';
export { DEFAULT_API_OPTIONS, MIN_API_KEY_LENGTH } from './http-api/api-options';
export type {
  AuthConfig,
  RequestHandler,
  WebApplicationOptions,
  WebServerConfig,
  WebSocketConfig,
} from './options';
export { DEFAULT_WEB_APPLICATION_OPTIONS } from './options';
export { WebApplication } from './web-application';
