import { afterEach } from 'vitest';
import type { WebSocket } from 'ws';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';
import { TestClient } from './test-client';

/**
 * Starts servers on free loopback ports and connects real `ws` clients to them; everything a test
 * started is closed after it. Call once at the top of a test file.
 */
export function useTestServers() {
  const servers: WebSocketServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.stop({ timeoutMs: 1000 })));
  });

  return async function start(options: WebSocketServerOptions = {}) {
    const server = new WebSocketServer(options);
    servers.push(server);
    const { url } = await server.listen();
    /** `target` is a query string (`?token=...`) or ws client options. */
    const connect = async (target: string | ConstructorParameters<typeof WebSocket>[2] = '') => {
      const client =
        typeof target === 'string'
          ? await TestClient.connect(url + target)
          : await TestClient.connect(url, target);
      clients.push(client);
      return client;
    };
    return { server, url, connect };
  };
}
