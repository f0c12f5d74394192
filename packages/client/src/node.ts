import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { RouteMap } from '@roomcast/protocol';
import { WebSocket as NodeWebSocket } from 'ws';
import { RoomcastClient as CoreClient } from './client';
import type { WebSocketClientControllerClass } from './guide-client';
import { WebSocketClient as CoreWebSocketClient, type WebSocketClientProps } from './guide-client';
import type { ClientOptions, WebSocketConstructor } from './options';

const CONTROLLER_FILES = ['.controller.js', '.controller.mjs', '.controller.ts', '.js', '.mjs', '.ts'];

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
export class RoomcastClient<TRoutes extends RouteMap = RouteMap> extends CoreClient<TRoutes> {
  constructor(options: ClientOptions) {
    super({ ...options, WebSocket: options?.WebSocket ?? defaultWebSocket() });
  }
}

/**
 * Creates a Node client.
 * @example
 * const client = createClient<RoutesOf<typeof routes>>({ url: 'ws://127.0.0.1:3000/ws' });
 */
export function createClient<TRoutes extends RouteMap = RouteMap>(
  options: ClientOptions,
): RoomcastClient<TRoutes> {
  return new RoomcastClient<TRoutes>(options);
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
  protected override async loadController(name: string): Promise<WebSocketClientControllerClass> {
    const directory = this.controllersDirectory;
    if (!directory) throw new TypeError(`controllerName "${name}" needs options.controllersDirectory`);
    const base = resolve(directory, name);
    const file = CONTROLLER_FILES.map(ending => base + ending).find(candidate => existsSync(candidate));
    if (!file) throw new TypeError(`No ${name}.controller.{js,mjs,ts} in ${directory}`);
    const module = (await import(pathToFileURL(file).href)) as { default?: unknown };
    if (typeof module.default !== 'function')
      throw new TypeError(`${file} must export a controller class as default`);
    return module.default as WebSocketClientControllerClass;
  }

  constructor(props: WebSocketClientProps) {
    const options = props?.options;
    super({
      ...props,
      options: { ...options, url: options?.url, WebSocket: options?.WebSocket ?? defaultWebSocket() },
    });
  }
}
