// One WebApplication with the admin dashboard on Redis, in its own process, on the *built*
// `roomcast` package: the admin tests' second node, so it can be SIGSTOPped like a hung worker.
// Configured by env: REDIS_PORT, APP_NAME, ADMIN_PASSWORD. Prints "listening <port> <nodeId>".
import { WebApplication } from 'roomcast';

const app = new WebApplication({
  name: process.env.APP_NAME,
  webserver: { port: 0 },
  logger: false,
  redis: { host: '127.0.0.1', port: Number(process.env.REDIS_PORT) },
  websocket: {
    rooms: { patterns: [{ match: 'chat:*', presence: true, history: { size: 50, ttlMs: 60_000 } }] },
  },
  admin: { password: process.env.ADMIN_PASSWORD },
});
await app.start();
process.stdout.write(`listening ${app.webserver.port} ${app.websocket.server.nodeId}\n`);
