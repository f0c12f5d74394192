import type { PushMap, PushMessage } from '@roomcast/protocol';
import type { WebSocketServer } from '../server';

export interface WebSocketServiceOptions<TPushes extends PushMap = PushMap> {
  webSocketServer: WebSocketServer<TPushes>;
  /** Accepted for the guide's signature; the server's bus already reaches every node. */
  redisInstance?: unknown;
  workerId?: string;
}

/**
 * The guide's higher-level sending API. Every method reaches its targets on every node.
 *
 * @example
 * const ws = new WebSocketService({ webSocketServer: app.websocket.server });
 * await ws.sendToRooms(['room1', 'room2'], { type: 'chat', action: 'message', data: { text: 'Hi' } });
 * // Typed by the server's `PushMap`: new WebSocketService<Pushes>({ webSocketServer }).
 */
export class WebSocketService<TPushes extends PushMap = PushMap> {
  readonly #server: WebSocketServer<TPushes>;

  constructor({ webSocketServer }: WebSocketServiceOptions<TPushes>) {
    this.#server = webSocketServer;
  }

  /** The guide's `user`/`system`/`error` helpers send frames outside the app's `PushMap`. */
  get #untyped(): WebSocketServer {
    return this.#server as unknown as WebSocketServer;
  }

  async broadcast(message: PushMessage<TPushes>): Promise<void> {
    this.#server.broadcastToAllClients({ data: message });
  }

  /**
   * In history rooms the message is durable (stored, replayed) unless `{ ephemeral: true }`;
   * resolves once it is appended.
   */
  async sendToRooms(
    roomNames: string[],
    message: PushMessage<TPushes>,
    { ephemeral = false } = {},
  ): Promise<void> {
    await Promise.all(
      roomNames.map(roomName => this.#server.broadcastToRoom({ roomName, data: message, ephemeral })),
    );
  }

  /** Exactly these clients, wherever they are connected. */
  async sendToClients(clientIds: string[], message: PushMessage<TPushes>): Promise<void> {
    this.#server.broadcastToClients(clientIds, message);
  }

  async sendUserMessage(action: string, data: unknown): Promise<void> {
    this.#untyped.broadcastToAllClients({ data: { type: 'user', action, data } });
  }

  async sendSystemMessage(action: string, data: unknown): Promise<void> {
    this.#untyped.broadcastToAllClients({ data: { type: 'system', action, data } });
  }

  /**
   * Sends `{ message, code? }` of an `Error` or of a plain `{ message, code }` object (a string is
   * the message): stacks, causes and other fields stay on the server.
   * @example await service.sendErrorMessage('failed', { message: 'Boom', code: 'E_FAIL' });
   */
  async sendErrorMessage(action: string, error: unknown): Promise<void> {
    this.#untyped.broadcastToAllClients({ data: { type: 'error', action, data: publicErrorData(error) } });
  }
}

function publicErrorData(error: unknown): { message: string; code?: string | number } {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const { message, code } = error as { message?: unknown; code?: unknown };
  const data: { message: string; code?: string | number } = {
    message: typeof message === 'string' ? message : 'Error',
  };
  if (typeof code === 'string' || typeof code === 'number') data.code = code;
  return data;
}
