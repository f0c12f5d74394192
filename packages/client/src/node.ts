import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadController, type ModuleFiles, type PushMap, type RouteMap } from '@roomcast/protocol';
import { WebSocket as NodeWebSocket } from 'ws';
import { RoomcastClient as CoreClient } from './client';
import type { WebSocketClientControllerClass } from './guide-client';
import { WebSocketClient as CoreWebSocketClient, type WebSocketClientProps } from './guide-client';
import type { ClientOptions, WebSocketConstructor } from './options';

/** Node's file system for the controller loader shared with the server (`@roomcast/protocol`). */
const NODE_FILES: ModuleFiles = {
  resolve,
  exists: existsSync,
  importFile: file => import(pathToFileURL(file).href),
};

// Node 22 has a global WebSocket; Node 20 does not, so `ws` is the fallback.
const defaultWebSocket = (): WebSocketConstructor =>
  (globalThis.WebSocket as WebSocketConstructor | undefined) ??
  (NodeWebSocket as unknown as WebSocketConstructor);

/**
 * `RoomcastClient` for Node: the same client, with `ws` when there is no global WebSocket.
 * @example
 * const client = new RoomcastClient({ url: 'ws://127.0.0.1:3000/ws' });
 * await client.connect();
 */
export class RoomcastClient<
  TRoutes extends RouteMap = RouteMap,
  TPushes extends PushMap = PushMap,
> extends CoreClient<TRoutes, TPushes> {
  constructor(options: ClientOptions) {
    super({ ...options, WebSocket: options?.WebSocket ?? defaultWebSocket() });
  }
}

/**
 * Creates a Node client.
 * @example
 * const client = createClient<RoutesOf<typeof routes>, Pushes>({ url: 'ws://127.0.0.1:3000/ws' });
 */
export function createClient<TRoutes extends RouteMap = RouteMap, TPushes extends PushMap = PushMap>(
  options: ClientOptions,
): RoomcastClient<TRoutes, TPushes> {
  return new RoomcastClient<TRoutes, TPushes>(options);
}

/**
 * The guide's `WebSocketClient` for Node (`ws` when there is no global WebSocket).
 * @example
 * const client = new WebSocketClient({ options: { url: 'ws://127.0.0.1:3000/ws' } });
 * await client.load();
 * await client.connectToServer();
 */
export class WebSocketClient extends CoreWebSocketClient {
  /** Loads `<controllersDirectory>/<name>.controller.{js,mjs,ts}` (or `<name>.{js,mjs,ts}`). */
  protected override loadController(name: string): Promise<WebSocketClientControllerClass> {
    return loadController({ directory: this.controllersDirectory, name, files: NODE_FILES });
  }

  constructor(props: WebSocketClientProps) {
    const options = props?.options;
    super({
      ...props,
      options: { ...options, url: options?.url, WebSocket: options?.WebSocket ?? defaultWebSocket() },
    });
  }
}
