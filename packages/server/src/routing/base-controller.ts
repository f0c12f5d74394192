import type { WebSocketServer } from '../server';

/**
 * The guide's controller base: methods named after actions, with the server at hand.
 *
 * @example
 * export default class ChatController extends WebSocketServerBaseController {
 *   public send = (ws: WebSocket, clientId: string, data: { text: string }) => {
 *     this.webSocketServer.broadcastToAllClients({ data: { type: 'chat', action: 'message', data } });
 *     return { success: true };
 *   };
 * }
 */
export class WebSocketServerBaseController {
  protected readonly webSocketServer: WebSocketServer;

  constructor({ webSocketServer }: { webSocketServer: WebSocketServer }) {
    this.webSocketServer = webSocketServer;
  }
}
