import { CloseCode } from '@roomcast/protocol';
import { RawClient } from '@roomcast/test-support/raw-client';
import { countWrites } from '@roomcast/test-support/socket-writes';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

vi.setConfig({ testTimeout: 60_000 });

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const nextTurn = () => new Promise(resolve => setImmediate(resolve));
type Frame = Record<string, unknown>;

const raws: RawClient[] = [];
afterEach(() => {
  for (const raw of raws.splice(0)) raw.destroy();
});

function serverSocketOf(server: WebSocketServer, clientId: string): WebSocket {
  const client = server.clientManager.getClient({ clientId });
  if (!client) throw new Error(`no client ${clientId}`);
  return client.ws;
}

describe('writeDelayMs', () => {
  it('keeps replies, direct frames and room broadcasts in the order they were queued; offsets increase', async () => {
    let seq = 0;
    const { server, connect } = await start({
      writeDelayMs: 20,
      heartbeat: false,
      limits: { rateLimit: false },
      rooms: { patterns: [{ match: 'h', history: { size: 1_000, ttlMs: 60_000 } }] },
      routes: [
        {
          type: 'test',
          action: 'mixed',
          handler: (ws: WebSocket, _clientId: string, data: unknown) => {
            server.broadcastToRoom({ roomName: 'lobby', data: { type: 'seq', action: 'room', data: seq++ } });
            server.sendClientMessage(ws, { type: 'seq', action: 'direct', data: seq++ });
            void server.broadcastToRoom({ roomName: 'h', data: { type: 'hist', action: 'msg', data } });
            // The reply is queued right after the handler returns, behind the frames above.
            return seq++;
          },
        },
      ],
    });
    const client = await connect();
    await client.request('system', 'joinRoom', { roomName: 'lobby' });
    await client.request('system', 'joinRoom', { roomName: 'h' });
    const requests = 30;
    const replies = Array.from({ length: requests }, (_, i) => client.request('test', 'mixed', i));
    await Promise.all(replies);
    await client.next(f => f.type === 'hist' && f.data === requests - 1);

    const seqOf = (f: Frame) => (f.type === 'seq' ? f.data : f.action === 'mixed' ? f.response : undefined);
    const order = client.frames.map(seqOf).filter(n => n !== undefined);
    expect(order).toEqual(Array.from({ length: requests * 3 }, (_, i) => i));
    const history = client.frames.filter(f => f.type === 'hist');
    expect(history.map(f => f.data)).toEqual(Array.from({ length: requests }, (_, i) => i));
    const offsets = history.map(f => f.offset as number);
    expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1]!)).toBe(true);
  });

  it('sends a socket the frames of many turns within one delay in one write; without it, one per turn', async () => {
    const frames = 10;
    const writesFor = async (writeDelayMs: number) => {
      const { server, connect } = await start({ writeDelayMs, heartbeat: false });
      const client = await connect();
      await client.request('system', 'joinRoom', { roomName: 'lobby' });
      const writes = countWrites(serverSocketOf(server, client.clientId));
      for (let i = 0; i < frames; i++) {
        void server.broadcastToRoom({ roomName: 'lobby', data: { type: 'n', action: 'n', data: i } });
        await nextTurn();
      }
      await client.next(f => f.type === 'n' && f.data === frames - 1);
      expect(client.received('n', 'n').map(f => f.data)).toEqual([...Array(frames).keys()]);
      return writes.count;
    };
    // 1,000 ms (the largest delay) is far longer than ten turns take, even on a loaded machine.
    expect(await writesFor(1_000)).toBe(1);
    expect(await writesFor(0)).toBe(frames);
  });

  it('still closes a client that stops reading with 4009, holding at most the limit and one frame', async () => {
    const disconnected: number[] = [];
    const maxBufferedBytes = 64 * 1024;
    const { server, url } = await start({
      writeDelayMs: 1_000,
      heartbeat: false,
      limits: { maxBufferedBytes },
      events: { onDisconnected: ({ code }) => disconnected.push(code) },
    });
    const slow = await RawClient.upgrade(url);
    raws.push(slow);
    slow.socket.pause();
    const ws = serverSocketOf(server, slow.clientId);
    const chunk = 'x'.repeat(10 * 1024);
    let maxHeld = 0;
    // Bounded: 4,000 × 10 KB, far past the kernel's buffers and maxBufferedBytes.
    for (let i = 0; i < 4_000 && disconnected.length === 0; i++) {
      server.sendClientMessage(ws, { type: 'bulk', action: 'x', data: chunk });
      maxHeld = Math.max(maxHeld, ws.bufferedAmount);
      if (i % 10 === 9) await nextTurn();
    }
    expect(disconnected).toEqual([CloseCode.SLOW_CONSUMER]);
    // The limit and the one frame that crossed it: the delay holds nothing beyond.
    expect(maxHeld).toBeLessThanOrEqual(maxBufferedBytes + 12 * 1024);
  });

  it('counts the frames waiting for the delay toward maxBufferedBytes, unlike the frames of one turn', async () => {
    const sentOfTen = async (writeDelayMs: number) => {
      const { server, connect } = await start({
        writeDelayMs,
        heartbeat: false,
        limits: { maxBufferedBytes: 4 * 1024 },
      });
      const client = await connect();
      const ws = serverSocketOf(server, client.clientId);
      const frame = { type: 'k', action: 'k', data: 'x'.repeat(1_000) };
      // 10 KB in one turn, to a client that reads: past the limit, short of MAX_CORKED_BYTES.
      let sent = 0;
      for (let i = 0; i < 10; i++) if (server.sendClientMessage(ws, frame)) sent++;
      return { sent, client };
    };
    const delayed = await sentOfTen(1_000);
    expect(delayed.sent).toBeLessThan(10);
    expect((await delayed.client.closed).code).toBe(CloseCode.SLOW_CONSUMER);
    expect((await sentOfTen(0)).sent).toBe(10);
  });

  it('sends a frame queued before a close frame before it', async () => {
    const { server, connect } = await start({ writeDelayMs: 1_000, heartbeat: false });
    const client = await connect();
    const ws = serverSocketOf(server, client.clientId);
    server.sendClientMessage(ws, { type: 'last', action: 'words', data: 1 });
    ws.close(4000, 'bye');
    expect(await client.closed).toEqual({ code: 4000, reason: 'bye' });
    expect(client.received('last', 'words')).toHaveLength(1);
  });

  it('stop() writes the frames waiting for the delay at once, before the close frames', async () => {
    const { server, connect } = await start({ writeDelayMs: 1_000, heartbeat: false });
    const client = await connect();
    await client.request('system', 'joinRoom', { roomName: 'lobby' });
    for (let i = 0; i < 5; i++) {
      void server.broadcastToRoom({ roomName: 'lobby', data: { type: 'n', action: 'n', data: i } });
      await nextTurn();
    }
    // A close timeout far under the delay: frames left waiting for it would be dropped.
    await server.stop({ timeoutMs: 200 });
    await client.closed;
    expect(client.received('n', 'n').map(f => f.data)).toEqual([0, 1, 2, 3, 4]);
  });
});
