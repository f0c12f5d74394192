import { WebApplication } from 'roomcast';
import { APP_NAME } from './pushes';

// The WebSocket side: clients connect and join rooms; every push comes from the worker.
const app = new WebApplication({
  name: APP_NAME,
  webserver: { port: Number(process.env.PORT ?? 3000) },
  redis: { url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
});
await app.start();
console.log(`listening on http://127.0.0.1:${app.webserver.port}`);
