import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type WebSocket as ServerSocket, WebSocketServer } from 'ws';
import { openRawWebSocket, type RawWebSocket } from './raw-websocket';

/** A real `ws` server on loopback; `verify: false` refuses every upgrade with a 401. */
async function startServer(verify = true) {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: 0,
    verifyClient: (_info, done) => done(verify, 401),
  });
  await new Promise<void>(resolve => server.once('listening', () => resolve()));
  const connected = new Promise<ServerSocket & { tcp: Socket }>(resolve =>
    server.once('connection', (socket, request) => resolve(Object.assign(socket, { tcp: request.socket }))),
  );
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/path?token=t`;
  return { server, connected, url };
}

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const done of cleanup.splice(0)) done();
});

function open(url: string) {
  const frames: string[] = [];
  let ended: (reason: string) => void = () => {};
  const end = new Promise<string>(resolve => (ended = resolve));
  const waiters: { count: number; resolve: () => void }[] = [];
  const socket: RawWebSocket = openRawWebSocket({
    url,
    onFrame: payload => {
      frames.push(payload.toString());
      for (const w of waiters) if (frames.length >= w.count) w.resolve();
    },
    onEnd: reason => ended(reason),
  });
  cleanup.push(() => socket.close());
  const receivedAll = (count: number) => new Promise<void>(resolve => waiters.push({ count, resolve }));
  return { socket, frames, end, receivedAll };
}

describe('openRawWebSocket', () => {
  it('reads frames of every length encoding, many to a read and one over many reads, in order', async () => {
    const { server, connected, url } = await startServer();
    cleanup.push(() => server.close());
    const client = open(url);
    const peer = await connected;
    const sizes = [0, 5, 125, 126, 200, 65_535, 65_536, 300_000];
    const sent = sizes.map((size, i) => String(i % 10).repeat(size));
    // Corked: the small ones leave in one write, so one read holds several frames and a partial one.
    peer.tcp.cork();
    for (const text of sent) peer.send(text);
    peer.tcp.uncork();
    await client.receivedAll(sent.length);
    expect(client.frames.map(f => f.length)).toEqual(sizes);
    expect(client.frames).toEqual(sent);
  });

  it('sends masked text frames the server reads, and answers a ping with its payload', async () => {
    const { server, connected, url } = await startServer();
    cleanup.push(() => server.close());
    const client = open(url);
    const peer = await connected;
    const message = new Promise<string>(resolve => peer.once('message', data => resolve(String(data))));
    client.socket.send('é'.repeat(100));
    expect(await message).toBe('é'.repeat(100));
    const pong = new Promise<string>(resolve => peer.once('pong', data => resolve(String(data))));
    peer.ping('are you there');
    expect(await pong).toBe('are you there');
    expect(client.frames).toEqual([]);
  });

  it('ends with the status line when the upgrade is refused, and once when the server closes', async () => {
    const refusing = await startServer(false);
    cleanup.push(() => refusing.server.close());
    expect(await open(refusing.url).end).toBe('upgrade refused: HTTP/1.1 401 Unauthorized');

    const { server, connected, url } = await startServer();
    cleanup.push(() => server.close());
    const client = open(url);
    (await connected).close(1001);
    expect(await client.end).toBe('closed by the server');
  });
});
