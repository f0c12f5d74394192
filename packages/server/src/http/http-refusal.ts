import type { Duplex } from 'node:stream';

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

/**
 * Answers a connection that will not become a WebSocket with a plain HTTP status and destroys it,
 * so a refused client never holds a socket (or a slot under a limit) for longer than the answer.
 */
export function refuseSocket(socket: Duplex, status: number): void {
  const text = STATUS_TEXT[status] ?? 'Error';
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
    );
  }
  socket.destroy();
}
