import type { AddressInfo } from 'node:net';
import { CloseCode, DEFAULT_LIMITS } from '@roomcast/protocol';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as ws from 'ws';
import { WebSocket, WebSocketServer as WsServer } from 'ws';
import { Metrics } from '../metrics';
import { Outbound } from './outbound';
import { prepareFrame } from './prepared-frame';
import { detectWsInternals, wsInternals } from './ws-internals';

vi.setConfig({ testTimeout: 60_000 });

describe('detectWsInternals', () => {
  it('finds the internals in the installed ws and frames like RFC 6455', () => {
    const internals = detectWsInternals();
    if ('missing' in internals) throw new Error(internals.missing);
    expect([...internals.frame(Buffer.from('ok'), false)]).toEqual([0x81, 0x02, 0x6f, 0x6b]);
    expect([...internals.frame(Buffer.alloc(300), false).subarray(0, 4)]).toEqual([0x81, 126, 0x01, 0x2c]);
    expect([...internals.frame(Buffer.from([0xc0]), true)]).toEqual([0x82, 0x01, 0xc0]);
  });

  it('names what is missing when a ws release moved an internal', () => {
    expect(detectWsInternals({ ...ws, Sender: {} })).toEqual({
      missing: 'ws.Sender.frame is not a function',
    });
    const wrongFrame = { frame: (data: Buffer) => [data] };
    expect(detectWsInternals({ ...ws, Sender: wrongFrame })).toEqual({
      missing: 'ws.Sender.frame framed 2 bytes unlike RFC 6455',
    });
    class NoSocketField {}
    expect(detectWsInternals({ ...ws, WebSocket: NoSocketField })).toEqual({
      missing: 'a ws WebSocket has no _socket field',
    });
  });

  it('warns once per process when it has to fall back, and not at all when it does not', () => {
    const { logger, lines } = recordingLogger();
    const moved = { ...ws, Sender: {} };
    expect(wsInternals(logger, moved)).toBeUndefined();
    expect(wsInternals(logger, moved)).toBeUndefined();
    expect(lines.filter(line => line.level === 'warn')).toHaveLength(1);
    expect(lines[0]?.fields).toEqual({ reason: 'ws.Sender.frame is not a function' });
    expect(wsInternals(logger)).toBeDefined();
    expect(lines).toHaveLength(1);
  });
});

/** A real ws server and client pair; the server side is written through an Outbound. */
async function pair() {
  const wss = new WsServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise(resolve => wss.once('listening', resolve));
  const serverSide = new Promise<WebSocket>(resolve => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
  const received: string[] = [];
  client.on('message', data => received.push(data.toString()));
  const closed = new Promise<number>(resolve => client.once('close', code => resolve(code)));
  await new Promise(resolve => client.once('open', resolve));
  return { wss, client, server: await serverSide, received, closed };
}

const servers: WsServer[] = [];
afterEach(async () => {
  for (const wss of servers.splice(0)) {
    for (const client of wss.clients) client.terminate();
    await new Promise(resolve => wss.close(resolve));
  }
});

describe.each([
  ['the fast path (ws internals)', undefined],
  ['the fallback (ws.send)', false as const],
])('Outbound on %s', (_name, internals) => {
  it('delivers frames of every header size, in order', async () => {
    const { wss, server, received } = await pair();
    servers.push(wss);
    const metrics = new Metrics();
    const outbound = new Outbound({
      metrics,
      limits: DEFAULT_LIMITS,
      logger: recordingLogger().logger,
      internals,
    });
    const sizes = [5, 200, 70_000, 5];
    for (const [i, size] of sizes.entries()) {
      expect(outbound.send(server, prepareFrame({ i, pad: 'x'.repeat(size) }))).toBe(true);
    }
    await vi.waitFor(() => expect(received).toHaveLength(sizes.length));
    expect(received.map(text => (JSON.parse(text) as { i: number }).i)).toEqual([0, 1, 2, 3]);
    expect(metrics.messagesOut).toBe(sizes.length);
  });

  it('closes a client that stops reading with 4009 before it holds much past maxBufferedBytes', async () => {
    const { wss, server, client, closed } = await pair();
    servers.push(wss);
    const maxBufferedBytes = 128 * 1024;
    const limits = { ...DEFAULT_LIMITS, maxBufferedBytes };
    const outbound = new Outbound({
      metrics: new Metrics(),
      limits,
      logger: recordingLogger().logger,
      internals,
    });
    client.pause();
    const frame = prepareFrame({ pad: 'x'.repeat(10 * 1024) });
    let maxHeld = 0;
    // Bounded: 3,000 × 10 KB, far past the kernel's buffers.
    for (let i = 0; i < 3_000 && server.readyState === WebSocket.OPEN; i++) {
      outbound.send(server, frame);
      maxHeld = Math.max(maxHeld, server.bufferedAmount);
      if (i % 10 === 9) await new Promise(resolve => setImmediate(resolve));
    }
    expect(server.readyState).not.toBe(WebSocket.OPEN);
    expect(maxHeld).toBeLessThanOrEqual(maxBufferedBytes + 32 * 1024);
    client.resume();
    expect(await closed).toBe(CloseCode.SLOW_CONSUMER);
  });
});
