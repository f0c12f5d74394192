import cluster from 'node:cluster';
import { route, WebApplication } from 'roomcast';

// The same file runs as the primary and as each worker: the primary forks the workers (and
// replaces any that die), the workers serve WebSockets on the shared port and share rooms
// through Redis, so a message sent on one worker reaches members on the other.
const app = new WebApplication({
  name: 'cluster-example',
  webserver: { port: Number(process.env.PORT ?? 3000) },
  redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
  cluster: { workers: 2 },
  websocket: {
    routes: [
      route({
        type: 'chat',
        action: 'send',
        handler: async (_ws, _clientId, data: { text: string }) => {
          const message = { type: 'chat', action: 'message', data: { text: data.text, worker: process.pid } };
          await app.websocket.server.broadcastToRoom({ roomName: 'chat:general', data: message });
          return { sent: true };
        },
      }),
    ],
  },
});
await app.start(); // SIGTERM to the primary stops the workers, then the primary
if (cluster.isPrimary) console.log(`listening on http://127.0.0.1:${app.webserver.port} (2 workers)`);
