import { fork } from 'node:child_process';
import { PONG_CLIENT } from '@roomcast/test-support/child-processes';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
vi.setConfig({ testTimeout: 60_000 });

function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // the server's process stalls, as in a long GC or a CPU-bound handler
  }
}

it('does not terminate a client whose pong arrived while the server was too busy to read it', async () => {
  const { server, url } = await start({ heartbeat: { intervalMs: 100, timeoutMs: 100 } });
  // The client is another process: it answers while this one is stalled.
  const child = fork(PONG_CLIENT, [url]);
  try {
    await new Promise(resolve => child.once('message', resolve));
    await vi.waitFor(() => expect(server.clientManager.size).toBe(1));
    const [client] = [...server.clientManager.getClients()];
    const ws = client!.ws;
    // Right after the next ping goes out, this process stalls for 1 s (ten pong timeouts), in
    // the check phase, so the next thing it runs is the overdue pong check, before any read.
    const ping = ws.ping.bind(ws);
    let stalled = false;
    ws.ping = (...args: Parameters<WebSocket['ping']>) => {
      ping(...args);
      if (stalled) return;
      stalled = true;
      setImmediate(() => busyFor(1_000));
    };
    await vi.waitFor(() => expect(stalled).toBe(true));
    // The check that ran after the stall has had its verdict once two more pings went out.
    const pings = { count: 0 };
    ws.on('pong', () => pings.count++);
    await vi.waitFor(
      () => {
        expect(ws.readyState, 'the server terminated the client').toBe(WebSocket.OPEN);
        expect(pings.count).toBeGreaterThanOrEqual(2);
      },
      { timeout: 10_000 },
    );
  } finally {
    child.kill();
  }
});
