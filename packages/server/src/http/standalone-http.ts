import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HTTP server `listen()` owns: it serves WebSocket upgrades only, so a plain request is
 * answered 426 and its connection closed (a keep-alive socket would otherwise idle under the
 * connection limits until it timed out).
 */
export function createStandaloneHttp(): HttpServer {
  return createServer((_request, response) => {
    response
      .writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket', Connection: 'close' })
      .end('Upgrade Required');
  });
}

export function listenHttp(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** Closes the server, listening or not (a failed listen has nothing to close). */
export function closeHttp(server: HttpServer): Promise<void> {
  return new Promise(resolve => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

export function wsUrl(address: AddressInfo, path: string): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `ws://${host}:${address.port}${path}`;
}
