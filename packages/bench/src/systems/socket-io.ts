import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { WebSocketServer } from 'ws';
import { HOST, type RunningSystem, type SystemOptions } from './system';
import { createTokenCheck } from './token-check';

/**
 * Socket.IO 4 as its docs set it up for this job: WebSocket transport only, JWT checked in a
 * middleware, `socket.join` on request; with `@socket.io/redis-adapter` on a cluster.
 */
export async function startSocketIo(options: SystemOptions): Promise<RunningSystem> {
  const http = createServer();
  // wsEngine named explicitly: engine.io's own `require('ws').Server` is undefined when a bundler
  // or test runner hands it ws's ESM entry.
  const io = new Server(http, { transports: ['websocket'], serveClient: false, wsEngine: WebSocketServer });
  const redisClients = options.redis ? [new Redis(options.redis), new Redis(options.redis)] : [];
  const [pub, sub] = redisClients;
  if (pub && sub) {
    io.adapter(createAdapter(pub, sub, { key: `socket.io-${options.redis?.appName}` }));
    // The adapter (P)SUBSCRIBEs as it is built; Redis answers in order, so once this PING is
    // answered the node hears broadcasts from the others (before, the first ones could be missed).
    await sub.ping();
  }
  if (options.jwtSecret) {
    const isValidToken = createTokenCheck(options.jwtSecret);
    io.use((socket, next) =>
      next(isValidToken(socket.handshake.auth.token) ? undefined : new Error('unauthorized')),
    );
  }
  io.on('connection', socket => {
    socket.on('join', (roomName: unknown, ack: unknown) => {
      if (typeof roomName !== 'string' || typeof ack !== 'function') return;
      socket.join(roomName);
      ack({ success: true, roomName });
    });
  });
  await new Promise<void>(resolve => http.listen(0, HOST, resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://${HOST}:${port}`,
    clientKind: 'socket.io',
    broadcastToRoom: (roomName, message) =>
      void io.to(roomName).emit('message', { ...message, room: roomName }),
    broadcastToAll: message => void io.emit('message', message),
    stop: async () => {
      await new Promise<void>(resolve => io.close(() => resolve()));
      // QUIT, not disconnect: the adapter's last (P)UNSUBSCRIBEs are still in flight and would
      // reject unhandled if the connection were cut under them.
      await Promise.all(redisClients.map(client => client.quit()));
    },
  };
}
