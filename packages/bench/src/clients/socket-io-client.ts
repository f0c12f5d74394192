import { io } from 'socket.io-client';
import type { ClientOptions, SwarmClient } from './client';

/** A Socket.IO 4 client, one connection each (`forceNew`), WebSocket only, no reconnection. */
export function connectSocketIoClient(options: ClientOptions): Promise<SwarmClient> {
  const socket = io(options.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    ...(options.token && { auth: { token: options.token } }),
    // engine.io-client hands it to its ws transport.
    ...(options.localAddress && { localAddress: options.localAddress }),
  });
  const client: SwarmClient = { close: () => socket.disconnect() };
  return new Promise((resolve, reject) => {
    socket.once('connect_error', error => {
      socket.disconnect();
      reject(error);
    });
    socket.once('connect', () => {
      socket.emit('join', options.roomName, () => {
        socket.on('message', (payload: unknown) => options.onMessage(() => payload));
        resolve(client);
      });
    });
  });
}
