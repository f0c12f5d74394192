// A node that stops drains its clients (1001 spread over its window); each client's first
// reconnect then waits a random moment of [0, reconnect.initialDelayMs) and dials the next URL.
// Real servers on real ports; the random source is injected, so no wall-clock time is asserted.
import { WebSocketServer } from '@roomcast/server';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, DEFAULT_RECONNECT, type RoomcastClient } from './index';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer() {
  const server = new WebSocketServer({ heartbeat: false });
  const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => server.stop({ timeoutMs: 500 }));
  return { server, url, nodeId: server.getHealth().nodeId };
}

describe('reconnect after a draining server closes with 1001', () => {
  it('waits random() * initialDelayMs (the default 500 ms ceiling), then joins the next node', async () => {
    const a = await startServer();
    const b = await startServer();
    const draws: number[] = [];
    const random = () => {
      draws.push(0.2);
      return 0.2;
    };
    const c: RoomcastClient = createClient({ url: [a.url, b.url], reconnect: { random } });
    cleanup.push(() => c.close());
    await c.connect();
    const events: string[] = [];
    c.events.on('close', ({ code }) => events.push(`close ${code}`));
    c.events.on('reconnecting', ({ attempt, delayMs }) => events.push(`reconnecting ${attempt} ${delayMs}`));
    const reconnected = new Promise<{ nodeId: string }>(resolve => c.events.on('reconnected', resolve));
    await a.server.stop({ drainMs: 200 });
    expect((await reconnected).nodeId).toBe(b.nodeId);
    expect(events).toEqual(['close 1001', `reconnecting 1 ${0.2 * DEFAULT_RECONNECT.initialDelayMs}`]);
    expect(draws).toHaveLength(1);
  });

  it('the first delay of many clients lies in [0, initialDelayMs), drawn per client', async () => {
    const a = await startServer();
    const b = await startServer();
    const clients = Array.from({ length: 20 }, () => {
      const c = createClient({ url: [a.url, b.url], reconnect: { initialDelayMs: 300 } });
      cleanup.push(() => c.close());
      return c;
    });
    await Promise.all(clients.map(c => c.connect()));
    const delays = clients.map(
      c => new Promise<number>(resolve => c.events.on('reconnecting', ({ delayMs }) => resolve(delayMs))),
    );
    const back = clients.map(c => new Promise(resolve => c.events.on('reconnected', resolve)));
    await a.server.stop({ drainMs: 300 });
    const drawn = await Promise.all(delays);
    for (const delay of drawn) {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(300);
    }
    // Math.random: 20 equal draws would mean no jitter at all.
    expect(new Set(drawn).size).toBeGreaterThan(1);
    await Promise.all(back);
    expect(clients.every(c => c.nodeId === b.nodeId)).toBe(true);
  });
});
