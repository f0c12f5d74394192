import { afterEach } from 'vitest';
import { TestClient, type TestClientOptions } from './test-client';

/** What a test server must do: listen on a free port and stop. `WebSocketServer` is one. */
export interface TestServer {
  listen(): Promise<{ url: string }>;
  stop(options: { timeoutMs: number }): Promise<void>;
}

/**
 * Starts servers on free loopback ports and connects real `ws` clients to them; everything a test
 * started is closed after it. Call once at the top of a test file with the server's constructor
 * (this package depends on no server, so any package's tests may use it).
 *
 * @example
 * const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
 * const { server, connect } = await start({ heartbeat: false });
 */
export function useTestServers<TOptions, TServer extends TestServer>(
  create: (options?: TOptions) => TServer,
) {
  const servers: TServer[] = [];
  const clients: TestClient[] = [];
  afterEach(async () => {
    await Promise.all(clients.splice(0).map(c => c.close()));
    await Promise.all(servers.splice(0).map(s => s.stop({ timeoutMs: 1000 })));
  });

  return async function start(options?: TOptions) {
    const server = create(options);
    servers.push(server);
    const { url } = await server.listen();
    /** `target` is a query string (`?token=...`) or ws client options. */
    const connect = async (target: string | TestClientOptions = '') => {
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
