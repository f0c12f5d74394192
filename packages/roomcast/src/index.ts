// The umbrella: every public name of the server-side packages, plus WebApplication. `export *`
// of two packages with the same name is a compile error (TS2308), so collisions cannot slip in.
export * from '@roomcast/auth';
export * from '@roomcast/protocol';
export * from '@roomcast/redis';
export * from '@roomcast/rooms';
export * from '@roomcast/server';
export * from '@roomcast/subscribers';
export type {
  AuthConfig,
  RequestHandler,
  WebApplicationOptions,
  WebServerConfig,
  WebSocketConfig,
} from './options';
export { DEFAULT_WEB_APPLICATION_OPTIONS } from './options';
export { WebApplication } from './web-application';
