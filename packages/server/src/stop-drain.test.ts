import { ErrorCode } from '@roomcast/protocol';
import { TestClient, upgradeStatus } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from './options';
import { WebSocketServer } from './server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const CLIENTS = 50;

const isMarker = (frame: { type?: string }) => frame.type === 'test';

/**
 * Stops the server and, at the first client's 1001, broadcasts a marker: a client that gets it
 * was still connected after the first close, so the closes went out in more than one batch.
 */
async function stopAndMark(server: WebSocketServer, clients: TestClient[], stop: () => Promise<void>) {
  const firstClose = Promise.race(clients.map(client => client.closed));
  const stopping = stop();
  await firstClose;
  server.broadcastToAllClients({ data: { type: 'test', action: 'marker', data: 1 } });
  const codes = (await Promise.all(clients.map(client => client.closed))).map(({ code }) => code);
  await stopping;
  return { codes, marked: clients.filter(client => client.frames.some(isMarker)).length };
}

describe('stop() with a drain window', () => {
  it('spreads the 1001 closes: clients still connected get broadcasts, all get 1001', async () => {
    const { server, url, connect } = await start({ heartbeat: false, drainMs: 3_000 });
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect()));
    let stopping: Promise<void> | undefined;
    const { codes, marked } = await stopAndMark(server, clients, () => {
      stopping = server.stop();
      return stopping;
    });
    expect(codes).toEqual(Array(CLIENTS).fill(1001));
    // Some got the marker (not all were closed in the first batch), not every one (the first did not).
    expect(marked).toBeGreaterThan(0);
    expect(marked).toBeLessThan(CLIENTS);
    expect(server.stop()).toBe(stopping);
    expect(server.getHealth().activeConnections).toBe(0);
    await expect(TestClient.connect(url)).rejects.toThrow();
  });

  it('refuses a new upgrade with 503 while it drains, and a second stop() is the same promise', async () => {
    const { server, url, connect } = await start({ heartbeat: false });
    const clients = await Promise.all(Array.from({ length: 5 }, () => connect()));
    const stopping = server.stop({ drainMs: 2_000 });
    expect(server.stop({ drainMs: 0 })).toBe(stopping);
    expect(await upgradeStatus(url)).toBe(503);
    expect(server.getHealth().status).toBe('stopping');
    await stopping;
    for (const client of clients) expect((await client.closed).code).toBe(1001);
  });

  it('drainMs 0 closes every client at once: none is left to get a broadcast after the first close', async () => {
    const { server, connect } = await start({ heartbeat: false, drainMs: 0 });
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect()));
    const { codes, marked } = await stopAndMark(server, clients, () => server.stop());
    expect(codes).toEqual(Array(CLIENTS).fill(1001));
    expect(marked).toBe(0);
  });

  it('stop({ drainMs }) overrides the server option', async () => {
    const { server, connect } = await start({ heartbeat: false, drainMs: 60_000 });
    const clients = await Promise.all(Array.from({ length: CLIENTS }, () => connect()));
    const { marked } = await stopAndMark(server, clients, () => server.stop({ drainMs: 0 }));
    expect(marked).toBe(0);
  });
});

describe('drainMs options', () => {
  const thrown = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      return error as TypeError & { code?: string };
    }
    throw new Error('accepted');
  };

  it('the server option: a number of milliseconds >= 0', () => {
    const error = thrown(() => new WebSocketServer({ drainMs: -1 }));
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      'WebSocketServer: drainMs must be a number of milliseconds >= 0 (0 closes every client at once), got -1',
    );
    expect(thrown(() => new WebSocketServer({ drainMS: 10 } as WebSocketServerOptions)).message).toBe(
      'WebSocketServer: unknown option "drainMS"; did you mean "drainMs"?',
    );
    expect(() => new WebSocketServer({ drainMs: 0 })).not.toThrow();
  });

  it('stop() options: checked the same way, before anything stops', async () => {
    const server = new WebSocketServer();
    expect(thrown(() => server.stop({ drainMs: Number.POSITIVE_INFINITY })).message).toBe(
      'stop(): drainMs must be a number of milliseconds >= 0 (0 closes every client at once), got Infinity',
    );
    expect(thrown(() => server.stop({ timeoutMs: -5 })).message).toBe(
      'stop(): timeoutMs must be a number of milliseconds >= 0, got -5',
    );
    expect(thrown(() => server.stop({ drain: 5 } as never)).message).toContain('unknown option "drain"');
    expect(server.getHealth().status).not.toBe('stopping');
    await server.stop();
  });
});
