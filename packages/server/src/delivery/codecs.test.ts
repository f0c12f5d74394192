// Issue 18 point 3, SPEC section 2: the codec is chosen per connection by subprotocol, and one
// broadcast reaches a JSON client and a MessagePack client in the same room, each in its codec.
import { ErrorCode, SUBPROTOCOL } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import type { TestClient } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const history = { patterns: [{ match: 'log:*', history: { size: 10, ttlMs: 60_000 } }] };

describe('codecs by subprotocol', () => {
  it('speaks MessagePack to a client that offers roomcast.v1.msgpack, JSON to the others', async () => {
    const { server, connect } = await start({ rooms: history });
    const packed = await connect({ codec: 'msgpack' });
    const plain = await connect();
    expect(packed.ws.protocol).toBe(SUBPROTOCOL.msgpack);
    expect(plain.ws.protocol).toBe('');
    // system.connected, as MessagePack in a binary frame.
    expect(packed.frames[0]).toMatchObject({ type: 'system', action: 'connected' });
    expect(packed.binary[0]).toBe(true);
    expect(plain.binary[0]).toBe(false);

    // A reply, and the join reply with the room's position.
    const joined = await packed.request('system', 'joinRoom', { roomName: 'log:a' });
    expect(joined).toMatchObject({ response: { success: true, roomName: 'log:a', offset: 0 } });
    await plain.request('system', 'joinRoom', { roomName: 'log:a' });

    // One durable and one ephemeral broadcast: the same frames, each in its client's codec.
    await server.broadcastToRoom({
      roomName: 'log:a',
      data: { type: 'log', action: 'line', data: { n: 1 } },
    });
    await server.broadcastToRoom({
      roomName: 'log:a',
      data: { type: 'log', action: 'line', data: { n: 2 } },
      ephemeral: true,
    });
    await Promise.all([packed, plain].map(client => client.next(f => (f.data as { n?: number })?.n === 2)));
    const lines = (client: TestClient) => client.received('log', 'line');
    expect(lines(packed)).toEqual([
      { type: 'log', action: 'line', data: { n: 1 }, room: 'log:a', offset: 1 },
      { type: 'log', action: 'line', data: { n: 2 }, room: 'log:a' },
    ]);
    expect(lines(plain)).toEqual(lines(packed));
    expect(packed.binary.every(Boolean)).toBe(true);
    expect(plain.binary.some(Boolean)).toBe(false);
  });

  it('answers garbage binary with INVALID_MESSAGE in MessagePack and keeps the socket open', async () => {
    const { connect } = await start();
    const client = await connect({ codec: 'msgpack' });
    // 0xc1 is never used in MessagePack; 0x93 opens an array of 3 that never comes.
    for (const garbage of [[0xc1], [0x93, 0x01], [0x92, 0x01, 0x02], [0xa3, 0x61]]) {
      client.frames.length = 0;
      client.ws.send(Buffer.from(garbage));
      expect((await client.next(f => f.type === 'error')).error).toMatchObject({
        code: ErrorCode.INVALID_MESSAGE,
      });
    }
    // A text frame on a MessagePack connection is refused the same way; its id still comes back.
    client.ws.send(JSON.stringify({ type: 'system', action: 'ping', id: 9 }));
    expect((await client.next(f => f.id === 9)).error).toMatchObject({
      code: ErrorCode.INVALID_MESSAGE,
      message: expect.stringContaining('roomcast.v1.msgpack'),
    });
    expect(await client.request('system', 'ping')).toMatchObject({ response: 'pong' });
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('refuses binary MessagePack from a JSON client, and accepts roomcast.v1.json by name', async () => {
    const { url } = await start();
    const ws = new WebSocket(url, [SUBPROTOCOL.json]);
    const texts: string[] = [];
    ws.on('message', (raw, binary) => texts.push(binary ? '<binary>' : raw.toString()));
    await new Promise(resolve => ws.once('open', resolve));
    expect(ws.protocol).toBe(SUBPROTOCOL.json);
    ws.send(msgpackCodec.encode({ type: 'system', action: 'ping', id: 3 }));
    ws.send(JSON.stringify({ type: 'system', action: 'ping', id: 4 }));
    await expect.poll(() => texts.length).toBe(3);
    const [, refused, pong] = texts.map(text => JSON.parse(text));
    expect(refused).toMatchObject({ error: { code: ErrorCode.INVALID_MESSAGE } });
    expect(pong).toMatchObject({ id: 4, response: 'pong' });
    ws.close();
  });

  it('fails the handshake of a client that offers only subprotocols it does not speak', async () => {
    const { url } = await start();
    const ws = new WebSocket(url, ['chat.v9']);
    const error = await new Promise<Error>(resolve => ws.once('error', resolve));
    expect(error.message).toMatch(/subprotocol/i);
  });
});
