import { once } from 'node:events';
import express from 'express';
import { route, WebApplication } from 'roomcast';

const api = express();
api.get('/hello', (_request, response) => {
  response.json({ hello: 'from express' });
});
const server = api.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');

// WebSockets on /ws and the app's /healthz and /metrics, on Express's own server and port.
const app = new WebApplication({
  name: 'express-example',
  webserver: { server },
  websocket: {
    routes: [
      route({
        type: 'greeting',
        action: 'hello',
        handler: (_ws, _clientId, data: { name: string }) => ({ greeting: `Hello, ${data.name}` }),
      }),
    ],
  },
  handleSignals: false,
});
await app.start();
if (!server.listening) await once(server, 'listening');
console.log(`listening on http://127.0.0.1:${app.webserver.port}`);

// The server is Express's: the app detaches on stop, and closing the server is ours to do.
process.once('SIGTERM', async () => {
  await app.stop();
  server.close();
});
