import type { AddressInfo } from 'node:net';
import { CloseCode, DEFAULT_LIMITS, type Limits, SUBPROTOCOL } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import { recordingLogger } from '@roomcast/test-support/recording-logger';
import { countWrites } from '@roomcast/test-support/socket-writes';
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
async function pair(protocols: string[] = []) {
  const wss = new WsServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise(resolve => wss.once('listening', resolve));
  servers.push(wss);
  const serverSide = new Promise<WebSocket>(resolve => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, protocols);
  const received: string[] = [];
  const binary: Buffer[] = [];
  client.on('message', (data, isBinary) => {
    if (isBinary) binary.push(data as Buffer);
    else received.push(data.toString());
  });
  const closed = new Promise<{ code: number; reason: string }>(resolve =>
    client.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise(resolve => client.once('open', resolve));
  return { wss, client, server: await serverSide, received, binary, closed };
}

/** Sends `frame` through `outbound` a turn at a time until a send is refused (bounded: 3,000 × 10 KB). */
async function sendUntilRefused(outbound: Outbound, server: WebSocket): Promise<number> {
  const frame = prepareFrame({ pad: 'x'.repeat(10 * 1024) });
  for (let i = 0; i < 3_000; i++) {
    if (!outbound.send(server, frame, 'slow-client')) return i;
    if (i % 10 === 9) await new Promise(resolve => setImmediate(resolve));
  }
  throw new Error('3,000 frames of 10 KB to a client that does not read were all accepted');
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
  /** An Outbound on this path, with the metrics and log lines it writes. */
  const outboundWith = (limits: Limits = DEFAULT_LIMITS) => {
    const metrics = new Metrics();
    const { logger, lines } = recordingLogger();
    return { outbound: new Outbound({ metrics, limits, logger, internals }), metrics, lines };
  };

  it('delivers frames of every header size, in order', async () => {
    const { server, received } = await pair();
    const { outbound, metrics } = outboundWith();
    const sizes = [5, 200, 70_000, 5];
    for (const [i, size] of sizes.entries()) {
      expect(outbound.send(server, prepareFrame({ i, pad: 'x'.repeat(size) }))).toBe(true);
    }
    await vi.waitFor(() => expect(received).toHaveLength(sizes.length));
    expect(received.map(text => (JSON.parse(text) as { i: number }).i)).toEqual([0, 1, 2, 3]);
    expect(metrics.messagesOut).toBe(sizes.length);
  });

  it('closes a client that stops reading with 4009 before it holds much past maxBufferedBytes', async () => {
    const { server, client, closed } = await pair();
    const maxBufferedBytes = 128 * 1024;
    const limits = { ...DEFAULT_LIMITS, maxBufferedBytes };
    const { outbound, metrics, lines } = outboundWith(limits);
    client.pause();
    const frame = prepareFrame({ pad: 'x'.repeat(10 * 1024) });
    let maxHeld = 0;
    // Bounded: 3,000 × 10 KB, far past the kernel's buffers.
    for (let i = 0; i < 3_000 && server.readyState === WebSocket.OPEN; i++) {
      outbound.send(server, frame, 'slow-client');
      maxHeld = Math.max(maxHeld, server.bufferedAmount);
      if (i % 10 === 9) await new Promise(resolve => setImmediate(resolve));
    }
    expect(server.readyState).not.toBe(WebSocket.OPEN);
    expect(maxHeld).toBeLessThanOrEqual(maxBufferedBytes + 32 * 1024);
    client.resume();
    expect(await closed).toEqual({ code: CloseCode.SLOW_CONSUMER, reason: 'slow consumer' });
    expect(metrics.slowConsumersClosed).toBe(1);
    expect(metrics.dropped).toBeGreaterThanOrEqual(1);
    const warned = lines.filter(line => line.msg === 'closing slow consumer');
    expect(warned).toHaveLength(1);
    expect(warned[0]?.fields).toMatchObject({ clientId: 'slow-client' });
  });

  it('refuses a frame for a socket that is closing: false, nothing counted', async () => {
    const { server } = await pair();
    const { outbound, metrics } = outboundWith();
    server.close();
    expect(outbound.send(server, prepareFrame({ late: true }))).toBe(false);
    expect(metrics.messagesOut).toBe(0);
  });

  it("with slowConsumer: 'drop', skips frames to a client that stops reading, keeps it open, and counts them", async () => {
    const { server, client, received } = await pair();
    const limits = { ...DEFAULT_LIMITS, maxBufferedBytes: 64 * 1024, slowConsumer: 'drop' as const };
    const { outbound, metrics, lines } = outboundWith(limits);
    client.pause();
    const accepted = await sendUntilRefused(outbound, server);
    expect(server.readyState).toBe(WebSocket.OPEN);
    expect(metrics.dropped).toBe(1);
    expect(metrics.slowConsumersClosed).toBe(0);
    expect(lines.filter(line => line.msg === 'closing slow consumer')).toEqual([]);
    // Once it reads again, what was accepted arrives and new frames go out.
    client.resume();
    await vi.waitFor(() => expect(received).toHaveLength(accepted));
    expect(outbound.send(server, prepareFrame({ after: true }))).toBe(true);
    await vi.waitFor(() => expect(received.at(-1)).toBe('{"after":true}'));
  });

  it('sends a client on roomcast.v1.msgpack binary MessagePack frames', async () => {
    const { server, binary, received } = await pair([SUBPROTOCOL.msgpack]);
    const { outbound } = outboundWith();
    expect(outbound.send(server, prepareFrame({ type: 'chat', n: 1 }))).toBe(true);
    await vi.waitFor(() => expect(binary).toHaveLength(1));
    expect(msgpackCodec.parse(new Uint8Array(binary[0]!))).toEqual({
      ok: true,
      value: { type: 'chat', n: 1 },
    });
    expect(received).toEqual([]);
  });
});

describe('Outbound coalescing', () => {
  it('writes a long turn in pieces of about 16 KiB, not in one write at its end', async () => {
    const { server, received } = await pair();
    const writes = countWrites(server);
    const outbound = new Outbound({
      metrics: new Metrics(),
      limits: DEFAULT_LIMITS,
      logger: recordingLogger().logger,
    });
    const frame = prepareFrame({ pad: 'x'.repeat(1024) });
    for (let i = 0; i < 64; i++) outbound.send(server, frame); // one turn: 64 KiB
    await vi.waitFor(() => expect(received).toHaveLength(64));
    expect(writes.count).toBeGreaterThanOrEqual(3);
  });
});
