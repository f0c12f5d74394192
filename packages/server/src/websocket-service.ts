import type { WebSocketServer } from './server';

export interface WebSocketServiceOptions {
  webSocketServer: WebSocketServer;
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
 */
export class WebSocketService {
  readonly #server: WebSocketServer;

  constructor({ webSocketServer }: WebSocketServiceOptions) {
    this.#server = webSocketServer;
  }

  async broadcast(message: unknown): Promise<void> {
    this.#server.broadcastToAllClients({ data: message });
  }

  async sendToRooms(roomNames: string[], message: unknown): Promise<void> {
    await Promise.all(roomNames.map(roomName => this.#server.broadcastToRoom({ roomName, data: message })));
  }

  /** Exactly these clients, wherever they are connected. */
  async sendToClients(clientIds: string[], message: unknown): Promise<void> {
    this.#server.broadcastToClients(clientIds, message);
  }

  async sendUserMessage(action: string, data: unknown): Promise<void> {
    await this.broadcast({ type: 'user', action, data });
  }

  async sendSystemMessage(action: string, data: unknown): Promise<void> {
    await this.broadcast({ type: 'system', action, data });
  }

  /** Sends the error's message only: stacks and causes stay on the server. */
  async sendErrorMessage(action: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    await this.broadcast({ type: 'error', action, data: { message } });
  }
}
