// `url: [a, b]`: the client rotates to the next address after each failed or lost connection.
// Real servers on real ports; one is stopped (or never started) to make its address fail.
import { createServer } from 'node:net';
import { WebSocketServer } from '@roomcast/server';
import { afterEach, describe, expect, it } from 'vitest';
import { endpointUrls } from './endpoints';
import { createClient, type RoomcastClient } from './index';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function startServer() {
  const server = new WebSocketServer();
  const { url } = await server.listen({ port: 0, host: '127.0.0.1' });
  cleanup.push(() => server.stop({ timeoutMs: 500 }));
  return { server, url, nodeId: server.getHealth().nodeId };
}

/** A port nothing listens on: bound, noted, released. */
async function deadUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise(resolve => probe.close(resolve));
  return `ws://127.0.0.1:${port}/ws`;
}

function client(url: string | string[]): RoomcastClient {
  const c = createClient({ url, reconnect: { initialDelayMs: 10, maxDelayMs: 50 } });
  cleanup.push(() => c.close());
  return c;
}

describe('url: [...] (several endpoints)', () => {
  it('moves to the other server when the one it is on stops', async () => {
    const a = await startServer();
    const b = await startServer();
    const c = client([a.url, b.url]);
    await c.connect();
    expect(c.nodeId).toBe(a.nodeId);
    const reconnected = new Promise<{ nodeId: string }>(resolve => c.events.on('reconnected', resolve));
    await a.server.stop({ timeoutMs: 500 });
    expect((await reconnected).nodeId).toBe(b.nodeId);
    expect(c.nodeId).toBe(b.nodeId);
  });

  it('connects through the next address when the first one refuses the connection', async () => {
    const b = await startServer();
    const c = client([await deadUrl(), b.url]);
    await c.connect();
    expect(c.nodeId).toBe(b.nodeId);
  });

  it('accepts one string as before and refuses an empty list or a bad entry, saying which', () => {
    expect(endpointUrls('ws://a/ws')).toEqual(['ws://a/ws']);
    expect(endpointUrls(['ws://a/ws', 'wss://b/ws'])).toEqual(['ws://a/ws', 'wss://b/ws']);
    expect(() => createClient({ url: [] })).toThrow('a URL or a non-empty array of them');
    expect(() => createClient({ url: ['ws://a/ws', 'http://b/ws'] })).toThrow(
      'url[1] must be a ws:// or wss:// URL, got the string "http://b/ws"',
    );
    expect(() => createClient({ url: 'http://a' })).toThrow('url must be a ws:// or wss:// URL');
  });
});
