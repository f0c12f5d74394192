import { createHook } from 'node:async_hooks';
import { createServer } from 'node:net';
import type { RoomMember, RoomStore } from '@roomcast/protocol';
import { MemoryRoomStore } from '@roomcast/rooms';
import { TestClient } from '@roomcast/test-support/test-client';
import { describe, expect, it } from 'vitest';
import { MemoryBus } from './memory-bus';
import { WebSocketServer } from './server';

const delay = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
/** A few event-loop turns without a timer of its own (so trackTimers counts only the server's). */
const turns = async () => {
  for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve));
};

/** A real MemoryRoomStore that takes 5 ms per call, as a store across a network does. */
class SlowRoomStore implements RoomStore {
  readonly inner = new MemoryRoomStore();
  add = async (roomName: string, member: RoomMember) => {
    await delay(5);
    return this.inner.add(roomName, member);
  };
  remove = async (roomName: string, clientId: string) => {
    await delay(5);
    return this.inner.remove(roomName, clientId);
  };
  members = async (roomName: string) => {
    await delay(5);
    return this.inner.members(roomName);
  };
  rooms = async () => {
    await delay(5);
    return this.inner.rooms();
  };
  removeNode = async (nodeId: string) => {
    await delay(5);
    return this.inner.removeNode(nodeId);
  };
  close = () => this.inner.close();
}

/** Listening servers of this process (a failed start accepted no socket, so servers tell it all). */
const netHandles = () => process.getActiveResourcesInfo().filter(r => r === 'TCPServerWrap').length;

/**
 * Counts the timers created from now on that are still set (neither fired nor cleared), unref'd
 * ones included: getActiveResourcesInfo() does not list those, and the server's are all unref'd.
 * Only timers made by Roomcast code (a workspace package's src) count: the vitest worker makes
 * timers of its own at any time, the more often the busier the machine is.
 */
function trackTimers() {
  const live = new Set<number>();
  const hook = createHook({
    init(id, type) {
      if (type === 'Timeout' && madeByRoomcast(new Error().stack ?? '')) live.add(id);
    },
    destroy(id) {
      live.delete(id);
    },
  }).enable();
  return {
    live: () => live.size,
    stop: () => hook.disable(),
  };
}

function madeByRoomcast(stack: string): boolean {
  return stack.split('\n').some(line => /\/packages\/[\w-]+\/src\//.test(line) && !line.includes('.test.ts'));
}

describe('stop()', () => {
  it('waits for every disconnect (room store, onDisconnected) before it resolves, with a 5 ms store', async () => {
    const store = new SlowRoomStore();
    const disconnected: string[] = [];
    const server = new WebSocketServer({
      roomStore: store,
      heartbeat: false,
      events: { onDisconnected: ({ clientId }) => disconnected.push(clientId) },
    });
    const { url } = await server.listen();
    const clients = await Promise.all(Array.from({ length: 5 }, () => TestClient.connect(url)));
    for (const client of clients) {
      for (const roomName of ['a', 'b', 'c']) await client.request('system', 'joinRoom', { roomName });
    }
    // Leaving three rooms takes each client 15 ms of store calls after its socket closed.
    await server.stop({ timeoutMs: 5_000 });
    expect(disconnected.sort()).toEqual(clients.map(c => c.clientId).sort());
    expect(await store.inner.rooms()).toEqual([]);
  });
});

describe('a failed start leaves nothing', () => {
  it('listen() on a port in use rejects, leaves no server or timer, and can be retried', async () => {
    const blocker = createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as { port: number };
    await turns(); // servers closed by earlier tests finish closing
    const before = netHandles();
    const server = new WebSocketServer({ heartbeat: { intervalMs: 1000, timeoutMs: 500 } });
    // What the start leaves, so counted from after the constructor.
    const timers = trackTimers();
    await expect(server.listen({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await turns();
    timers.stop();
    expect(timers.live()).toBe(0);
    await expect.poll(netHandles).toBe(before);
    await new Promise(resolve => blocker.close(resolve));
    const { url } = await server.listen();
    const client = await TestClient.connect(url);
    await server.stop({ timeoutMs: 1000 });
    expect((await client.closed).code).toBe(1001);
  });

  it('a start that fails after listening (a route without a handler) closes its HTTP server', async () => {
    await turns(); // servers closed by earlier tests finish closing
    const before = netHandles();
    const server = new WebSocketServer({ routes: [{ type: 'a', action: 'b' }] });
    await expect(server.listen()).rejects.toThrow(/needs a handler/);
    await expect.poll(netHandles).toBe(before);
    await server.stop();
  });

  it('a start that fails late (onServerStarted throws) undoes its bus subscriptions and timers', async () => {
    await turns(); // servers closed by earlier tests finish closing
    const before = netHandles();
    const bus = new MemoryBus();
    const server = new WebSocketServer({
      bus,
      heartbeat: { intervalMs: 1000, timeoutMs: 500 },
      disconnectInactiveClients: { enabled: true },
      events: {
        onServerStarted: () => {
          throw new Error('boom');
        },
      },
    });
    const timers = trackTimers();
    await expect(server.listen()).rejects.toThrow('boom');
    await turns();
    timers.stop();
    expect(timers.live()).toBe(0);
    expect(bus.channels).toEqual([]);
    await expect.poll(netHandles).toBe(before);
    await server.stop();
  });
});
