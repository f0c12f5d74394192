// Issue 18 point 3: the client speaks either codec with a real server; `codec: 'msgpack'` offers
// roomcast.v1.msgpack and falls back to JSON when a server does not choose it.
import type { AddressInfo } from 'node:net';
import { SUBPROTOCOL } from '@roomcast/protocol';
import { route, WebSocketServer } from '@roomcast/server';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer as RawWebSocketServer } from 'ws';
import { type ClientOptions, createClient } from './index';

const routes = [
  route({ type: 'echo', action: 'say', handler: (_ws, _id, data: unknown) => ({ said: data }) }),
];
const rooms = { patterns: [{ match: 'log:*', history: { size: 20, ttlMs: 60_000 } }] };
const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer() {
  const server = new WebSocketServer({ routes, rooms });
  const { url } = await server.listen();
  cleanup.push(() => server.stop({ timeoutMs: 500 }));
  return { server, url };
}

function client(options: ClientOptions) {
  const c = createClient({ reconnect: false, ...options });
  cleanup.push(() => c.close());
  return c;
}

describe('codecs', () => {
  it('requests, joins, recovers and receives the same broadcasts in MessagePack as in JSON', async () => {
    const { server, url } = await startServer();
    const packed = client({ url, codec: 'msgpack' });
    const plain = client({ url });
    await Promise.all([packed.connect(), plain.connect()]);
    expect(packed.socket?.protocol).toBe(SUBPROTOCOL.msgpack);
    expect(plain.socket?.protocol).toBe('');

    // Binary-only payloads survive MessagePack; JSON-shaped ones come back as sent.
    const data = { text: 'héllo', n: 2 ** 40, list: [1, null, true], nested: { deep: [{}] } };
    expect(await packed.request('echo', 'say', data)).toEqual({ said: data });
    const { epoch = '' } = await packed.joinRoom('log:a');
    await plain.joinRoom('log:a');

    const seen = { packed: [] as unknown[], plain: [] as unknown[] };
    packed.on('log', 'line', line => seen.packed.push(line));
    plain.on('log', 'line', line => seen.plain.push(line));
    for (let n = 1; n <= 5; n++)
      await server.broadcastToRoom({ roomName: 'log:a', data: { type: 'log', action: 'line', data: { n } } });
    await expect.poll(() => seen.packed.length + seen.plain.length).toBe(10);
    expect(seen.packed).toEqual([1, 2, 3, 4, 5].map(n => ({ n })));
    expect(seen.plain).toEqual(seen.packed);

    // The room's position came through the MessagePack join reply: a rejoin from it recovers.
    packed.close();
    await server.broadcastToRoom({
      roomName: 'log:a',
      data: { type: 'log', action: 'line', data: { n: 6 } },
    });
    const again = client({ url, codec: 'msgpack' });
    const replayed: unknown[] = [];
    again.on('log', 'line', line => replayed.push(line));
    await again.connect();
    expect(await again.joinRoom('log:a', { since: 5, epoch })).toMatchObject({ recovered: true, offset: 6 });
    expect(replayed).toEqual([{ n: 6 }]);
    expect(await again.joinRoom('log:a', { since: 5 })).toMatchObject({ recovered: false });
  });

  it('speaks JSON to a server that answers in JSON (one from before subprotocols)', async () => {
    // Plain ws accepts the first subprotocol offered, whatever it then speaks.
    const raw = new RawWebSocketServer({ host: '127.0.0.1', port: 0 });
    cleanup.push(() => new Promise(resolve => raw.close(resolve)));
    await new Promise(resolve => raw.once('listening', resolve));
    const received: { text: string; binary: boolean }[] = [];
    raw.on('connection', ws => {
      ws.on('message', (message, binary) => received.push({ text: message.toString(), binary }));
      ws.send(
        JSON.stringify({ type: 'system', action: 'connected', data: { clientId: 'c1', nodeId: 'n1' } }),
      );
    });
    const { port } = raw.address() as AddressInfo;
    const c = client({ url: `ws://127.0.0.1:${port}`, codec: 'msgpack' });
    await c.connect();
    expect(c.clientId).toBe('c1');
    c.send('chat', 'say', { text: 'hi' });
    await expect.poll(() => received.length).toBe(1);
    expect(received[0]).toEqual({
      binary: false,
      text: '{"type":"chat","action":"say","data":{"text":"hi"}}',
    });
  });

  it('refuses an unknown codec with a TypeError that names the choices', () => {
    expect(() => createClient({ url: 'ws://127.0.0.1:1', codec: 'cbor' as never })).toThrow(
      'createClient: codec must be "json" or "msgpack", got the string "cbor"',
    );
  });
});
