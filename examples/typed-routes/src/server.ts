import { WebApplication } from 'roomcast';
import { chatRoutes } from './routes';
import type { Pushes } from './shared';

const app: WebApplication<Pushes> = new WebApplication<Pushes>({
  name: 'typed-routes',
  webserver: { port: Number(process.env.PORT ?? 3000) },
  websocket: { routes: chatRoutes(() => app.websocket.server) },
});
await app.start();
console.log(`listening on http://127.0.0.1:${app.webserver.port}`);
