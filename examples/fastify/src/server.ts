import Fastify from 'fastify';
import { route, WebApplication } from 'roomcast';

const fastify = Fastify();
fastify.get('/hello', async () => ({ hello: 'from fastify' }));

// WebSockets on /ws and the app's /healthz and /metrics, on Fastify's own server and port.
const app = new WebApplication({
  name: 'fastify-example',
  webserver: { server: fastify.server },
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
await app.start(); // attach before listen
await fastify.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on http://127.0.0.1:${app.webserver.port}`);

// The server is Fastify's: the app detaches on stop, and closing it is Fastify's job.
process.once('SIGTERM', async () => {
  await app.stop();
  await fastify.close();
});
