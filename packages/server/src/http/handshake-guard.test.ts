import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Authenticator } from '@roomcast/protocol';
import { RawClient, upgradeRequest } from '@roomcast/test-support/raw-client';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { DEFAULT_HANDSHAKE } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));

// Shared CI machines can be slow; these tests wait for behaviour, never for a duration.
vi.setConfig({ testTimeout: 60_000 });

const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.destroy();
});

async function open(url: string): Promise<RawClient> {
  const raw = await RawClient.open(url);
  raws.push(raw);
  return raw;
}

/**
 * Resolves once the server has closed `raw`; rejects after `ms`. The bound is far above the
 * handshake timeouts used here (300 ms) and far below Node's own (60 s headersTimeout), so only
 * the handshake bound can pass it.
 */
function closedWithin(raw: RawClient, ms = 15_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still open after ${ms} ms`)), ms);
  });
  return Promise.race([raw.closed, late]).finally(() => clearTimeout(timer));
}

describe('slowloris: every handshake finishes within handshake.timeoutMs', () => {
  it('defaults to 10 s', () => {
    expect(DEFAULT_HANDSHAKE.timeoutMs).toBe(10_000);
  });

  it('answers 408 and destroys a connection whose headers never finish, though it keeps sending', async () => {
    const { url } = await start({ handshake: { timeoutMs: 300 } });
    const slow = await open(url);
    slow.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    // A header line every 50 ms: never idle (no socket timeout fires), never done.
    let line = 0;
    const drip = setInterval(() => slow.write(`X-Drip-${line++}: 1\r\n`), 50);
    try {
      await closedWithin(slow);
    } finally {
      clearInterval(drip);
    }
    expect(await slow.statusLine()).toBe('HTTP/1.1 408 Request Timeout');
    expect(line).toBeGreaterThan(0);
  });

  it('on attach(), bounds the handshake from the upgrade request: a hanging authenticator', async () => {
    const http = createServer((_request, response) => response.end('plain'));
    await new Promise<void>(resolve => http.listen(0, '127.0.0.1', resolve));
    const hanging: Authenticator = {
      required: false,
      loginTimeoutMs: 0,
      verify: () => new Promise(() => {}),
    };
    const server = new WebSocketServer({ handshake: { timeoutMs: 300 }, authenticator: hanging });
    try {
      await server.attach(http, { path: '/ws' });
      const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/ws`;
      const raw = await open(url);
      raw.write(upgradeRequest(`${url}?token=never-checked`));
      await closedWithin(raw);
      expect(await raw.statusLine()).toBe('HTTP/1.1 408 Request Timeout');
    } finally {
      await server.stop({ timeoutMs: 1000 });
      await new Promise(resolve => http.close(resolve));
    }
  });
});

describe('half-open upgrades count from TCP accept', () => {
  it('holds 3 of 100 never-finished upgrades from one IP (maxConnectionsPerIp: 3) and refuses 97 with 429', async () => {
    // 5 s: far longer than answering 97 refusals takes on a loaded machine, so the three are
    // still waiting when they are checked.
    const { url, connect } = await start({
      limits: { maxConnectionsPerIp: 3 },
      handshake: { timeoutMs: 5_000 },
    });
    const held: RawClient[] = [];
    for (let i = 0; i < 3; i++) {
      const raw = await open(url);
      raw.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      held.push(raw);
    }
    const rest = await Promise.all(Array.from({ length: 97 }, () => open(url)));
    for (const raw of rest) raw.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    const statuses = await Promise.all(rest.map(raw => raw.statusLine()));
    expect(statuses.filter(status => status === 'HTTP/1.1 429 Too Many Requests')).toHaveLength(97);
    // The three held ones got no answer: they wait for their headers, each under the deadline.
    expect(held.map(raw => raw.received.length)).toEqual([0, 0, 0]);
    await expect(connect()).rejects.toThrow();
    // When the deadline frees them (408), their slots are free again.
    await Promise.all(held.map(raw => closedWithin(raw)));
    expect(await Promise.all(held.map(raw => raw.statusLine()))).toEqual(
      Array(3).fill('HTTP/1.1 408 Request Timeout'),
    );
    await connect();
  });

  it('caps handshakes in progress (handshake.maxPending) with 503, and counts them under maxConnections', async () => {
    const pending = await start({ handshake: { maxPending: 2 } });
    const first = [await open(pending.url), await open(pending.url)];
    const third = await open(pending.url);
    expect(await third.statusLine()).toBe('HTTP/1.1 503 Service Unavailable');
    for (const raw of first) raw.destroy();
    await Promise.all(first.map(raw => raw.closed));
    // Released at close: a real client gets in once the server has seen them go.
    await vi.waitFor(() => pending.connect(), { timeout: 10_000, interval: 50 });

    const total = await start({ limits: { maxConnections: 2 } });
    await open(total.url);
    await open(total.url);
    const over = await open(total.url);
    expect(await over.statusLine()).toBe('HTTP/1.1 503 Service Unavailable');
  });

  it('answers a plain HTTP request 426 and closes the connection, so it holds no slot', async () => {
    const { url, connect } = await start({ limits: { maxConnectionsPerIp: 1 } });
    const plain = await open(url);
    plain.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await plain.statusLine()).toBe('HTTP/1.1 426 Upgrade Required');
    expect(plain.received.toString()).toMatch(/\r\nConnection: close\r\n/i);
    await closedWithin(plain);
    await vi.waitFor(() => connect(), { timeout: 10_000, interval: 50 });
  });
  it('counts a timed-out handshake as a rejected upgrade and logs it at debug, with the address', async () => {
    const { logger, lines } = recordingLogger();
    const { server, url } = await start({ handshake: { timeoutMs: 300 }, logger });
    const silent = await open(url);
    await closedWithin(silent);
    expect(await silent.statusLine()).toBe('HTTP/1.1 408 Request Timeout');
    expect(server.metrics()).toMatch(/^roomcast_upgrades_rejected_total(\{[^}]*\})? 1$/m);
    const timedOut = lines.filter(line => line.msg === 'handshake timed out');
    expect(timedOut.map(line => line.level)).toEqual(['debug']);
    expect(timedOut[0]?.fields).toMatchObject({ ip: '127.0.0.1', timeoutMs: 300 });
  });

  it('gives a closed connection its per-IP slot back, and no handshake slot it no longer held', async () => {
    const { server, url, connect } = await start({
      limits: { maxConnectionsPerIp: 2 },
      handshake: { maxPending: 2 },
    });
    for (let round = 0; round < 3; round++) {
      const clients = [await connect(), await connect()];
      await Promise.all(clients.map(client => client.close()));
    }
    // Six closed connections later the handshake cap is still 2 (and the per-IP slots are free).
    await vi.waitFor(() => expect(server.getHealth().activeConnections).toBe(0), { timeout: 10_000 });
    await open(url);
    await open(url);
    expect(await (await open(url)).statusLine()).toBe('HTTP/1.1 503 Service Unavailable');
  });

  it("leaves an upgraded client's TCP socket with ws's own close and error listeners only", async () => {
    // Memory per idle client (issue 22): the guard's listeners end with the handshake.
    const { server, connect } = await start({ limits: { maxConnectionsPerIp: 2 } });
    await connect();
    const [client] = [...server.clientManager.getClients()];
    const socket = (client!.ws as unknown as { _socket: Socket })._socket;
    expect(socket.listenerCount('close')).toBe(1);
    expect(socket.listenerCount('error')).toBe(1);
  });

  it('stop() ends handshakes in progress at once, not at their timeout', async () => {
    const { server, url } = await start({ handshake: { timeoutMs: 60_000 } });
    const silent = await open(url);
    silent.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await server.stop({ timeoutMs: 1_000 });
    // Bounded by the test's own timeout, far below the handshake's 60 s.
    await silent.closed;
    expect(await silent.statusLine()).toBe('');
  });
});
