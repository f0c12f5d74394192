import type { PushFrame, ServerFrame } from '@roomcast/protocol';
import { RoomcastClient } from './client';
import type { ClientOptions, WebSocketLike } from './options';

/** The guide's client controller: methods named after actions get `(data, frame)`. */
export class WebSocketClientBaseController {
  protected readonly client: WebSocketClient;
  constructor({ client }: { client: WebSocketClient }) {
    this.client = client;
  }
}

export type WebSocketClientControllerClass = new (options: { client: WebSocketClient }) => object;

export interface WebSocketClientRoute {
  type: string;
  action: string;
  controller?: WebSocketClientControllerClass;
  /** Node: `<controllersDirectory>/<controllerName>.controller.js` (or `.js`), default export. */
  controllerName?: string;
  handler?: (data: unknown, frame: PushFrame) => void;
}

export interface WebSocketClientEvents {
  onConnected?: (event: { ws: WebSocketLike | undefined; clientId: string }) => void;
  onMessage?: (event: { data: ServerFrame }) => void;
  onReconnecting?: (event: { attempt: number; delayMs: number }) => void;
  onReconnected?: (event: { clientId: string }) => void;
  onReconnectFailed?: (event: { attempts: number }) => void;
  onDisconnected?: (event: { code: number; reason: string }) => void;
}

export interface WebSocketClientProps {
  options: Omit<ClientOptions, 'url'> & {
    url: string;
    events?: WebSocketClientEvents;
    routes?: WebSocketClientRoute[];
    /** The guide's other keys (`controllersDirectory`, ...) are accepted and ignored. */
    [guideKey: string]: unknown;
  };
  routes?: WebSocketClientRoute[];
  /** `applicationConfig`, `redisInstance`, `queueManager`, ... from the guide: ignored. */
  [guideKey: string]: unknown;
}

const PASSED_THROUGH = [
  'WebSocket',
  'getToken',
  'reconnect',
  'requestTimeoutMs',
  'offlineQueue',
  'heartbeatTimeoutMs',
  'logger',
] as const satisfies readonly (keyof ClientOptions)[];

/**
 * The guide's Node.js/browser `WebSocketClient`, a thin layer over `RoomcastClient`.
 *
 * @example
 * const client = new WebSocketClient({ options: { url, events: { onConnected: ({ clientId }) => log(clientId) } } });
 * await client.load();
 * await client.connectToServer();
 * client.sendClientMessage({ type: 'chat', action: 'send', data: { text: 'hi' } });
 */
export class WebSocketClient {
  readonly client: RoomcastClient;
  readonly #props: WebSocketClientProps;

  constructor(props: WebSocketClientProps) {
    if (typeof props?.options?.url !== 'string') throw new TypeError('Pass { options: { url } }');
    this.#props = props;
    const options: ClientOptions = { url: props.options.url };
    // Copy only what was given: with exactOptionalPropertyTypes an explicit undefined is not "absent".
    for (const key of PASSED_THROUGH) {
      if (props.options[key] !== undefined) Object.assign(options, { [key]: props.options[key] });
    }
    this.client = new RoomcastClient(options);
    this.#wireEvents(props.options.events ?? {});
  }

  /** Registers the client routes (handlers or controller methods named after the action). */
  async load(): Promise<void> {
    for (const route of [...(this.#props.options.routes ?? []), ...(this.#props.routes ?? [])]) {
      const controller =
        route.controller ??
        (route.controllerName ? await this.loadController(route.controllerName) : undefined);
      const handler = route.handler ?? this.#controllerHandler(route, controller);
      this.client.on(route.type, route.action, handler);
    }
  }

  /** Finds a controller class by name; only the Node client can read `controllersDirectory`. */
  protected loadController(name: string): Promise<WebSocketClientControllerClass> {
    return Promise.reject(
      new TypeError(
        `controllerName "${name}" needs the Node WebSocketClient and options.controllersDirectory`,
      ),
    );
  }

  /** `options.controllersDirectory`, for the Node client's `loadController`. */
  protected get controllersDirectory(): string | undefined {
    const directory = this.#props.options.controllersDirectory;
    return typeof directory === 'string' ? directory : undefined;
  }

  connectToServer(): Promise<void> {
    return this.client.connect();
  }

  sendClientMessage({ type, action, data }: { type: string; action: string; data?: unknown }): void {
    this.client.send(type, action, data);
  }

  disconnect(): void {
    this.client.close();
  }

  #controllerHandler(
    route: WebSocketClientRoute,
    Controller: WebSocketClientControllerClass | undefined,
  ): (data: unknown, frame: PushFrame) => void {
    if (!Controller)
      throw new TypeError(
        `Route ${route.type}.${route.action} needs a handler, a controller or a controllerName`,
      );
    const controller = new Controller({ client: this }) as Record<string, unknown>;
    const method = controller[route.action];
    if (typeof method !== 'function')
      throw new TypeError(`Controller for ${route.type}.${route.action} has no method "${route.action}"`);
    return (data, frame) => method.call(controller, data, frame);
  }

  #wireEvents(events: WebSocketClientEvents): void {
    const { events: on } = this.client;
    on.on('open', ({ clientId }) => events.onConnected?.({ ws: this.client.socket, clientId }));
    on.on('message', frame => events.onMessage?.({ data: frame }));
    on.on('reconnecting', event => events.onReconnecting?.(event));
    on.on('reconnected', ({ clientId }) => events.onReconnected?.({ clientId }));
    on.on('reconnectFailed', event => events.onReconnectFailed?.(event));
    on.on('close', event => events.onDisconnected?.(event));
  }
}
