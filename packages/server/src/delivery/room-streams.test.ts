import type { AppendResult, DurableMessage, History, HistoryOptions } from '@roomcast/protocol';
import { MemoryHistory } from '@roomcast/rooms';
import type { TestClient } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

vi.setConfig({ testTimeout: 120_000 });

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const ROOM = 'chat:general';
const chat = (n: number) => ({ type: 'chat', action: 'message', data: n });
const chatFrames = (client: TestClient) => client.frames.filter(f => f.type === 'chat');

/** A MemoryHistory whose appends wait while `stall()` is on: Redis not answering, in one process. */
class StallingHistory implements History {
  readonly inner = new MemoryHistory();
  #stalled: Promise<void> | undefined;
  #resume = () => {};

  stall(): void {
    this.#stalled = new Promise(resolve => {
      this.#resume = resolve;
    });
  }
  resume(): void {
    this.#stalled = undefined;
    this.#resume();
  }
  async append(room: string, message: DurableMessage, options: HistoryOptions): Promise<AppendResult> {
    const stalled = this.#stalled;
    if (stalled) await stalled;
    return this.inner.append(room, message, options);
  }
  since: History['since'] = (...args) => this.inner.since(...args);
  latest: History['latest'] = (...args) => this.inner.latest(...args);
  close = () => this.inner.close();
}

describe('durable and ephemeral room messages', () => {
  it('keeps presence and ephemeral frames out of history: rewind 50 after 200 of them and 3 durable ones gives the 3', async () => {
    const { server, connect } = await start({
      rooms: { patterns: [{ match: 'chat:*', presence: true, history: { size: 100, ttlMs: 60_000 } }] },
    });
    const watcher = await connect();
    await watcher.request('system', 'joinRoom', { roomName: ROOM });
    for (let i = 0; i < 100; i++) {
      // Each join and leave makes a presence frame.
      const visitor = await connect();
      await visitor.request('system', 'joinRoom', { roomName: ROOM });
      await visitor.request('system', 'leaveRoom', { roomName: ROOM });
      if (i % 40 === 0) await server.broadcastToRoom({ roomName: ROOM, data: chat(i) });
      await server.broadcastToRoom({
        roomName: ROOM,
        data: { type: 'chat', action: 'typing', data: i },
        ephemeral: true,
      });
    }
    await watcher.next(f => f.action === 'typing' && f.data === 99);
    const presence = watcher.frames.filter(f => f.type === 'presence');
    expect(presence).toHaveLength(201); // its own join, then 100 joins and 100 leaves
    expect(presence.every(f => f.offset === undefined)).toBe(true);
    expect(watcher.frames.filter(f => f.action === 'typing').every(f => f.offset === undefined)).toBe(true);
    const late = await connect();
    const reply = await late.request('system', 'joinRoom', { roomName: ROOM, rewind: 50 });
    expect(reply.response).toMatchObject({ offset: 3 });
    expect(late.frames.filter(f => f.offset !== undefined).map(f => f.data)).toEqual([0, 40, 80]);
  });

  it('answers recovered: false when the memory history expired and offsets went on (no silent gap)', async () => {
    const { server, connect } = await start({
      rooms: { patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 300 } }] },
    });
    const a = await connect();
    const { epoch } = (await a.request('system', 'joinRoom', { roomName: ROOM })).response as {
      epoch: string;
    };
    for (let n = 1; n <= 5; n++) await server.broadcastToRoom({ roomName: ROOM, data: chat(n) });
    await a.next(f => f.offset === 5);
    await a.close();
    await new Promise(resolve => setTimeout(resolve, 600));
    for (let n = 6; n <= 12; n++) await server.broadcastToRoom({ roomName: ROOM, data: chat(n) });
    const back = await connect();
    const reply = await back.request('system', 'joinRoom', { roomName: ROOM, since: 5, epoch });
    // The messages expired, the position did not: all seven after 5 are there, in order.
    expect(reply.response).toMatchObject({ recovered: true, offset: 12, epoch });
    expect(chatFrames(back).map(f => f.offset)).toEqual([6, 7, 8, 9, 10, 11, 12]);
    const stale = await connect();
    const old = await stale.request('system', 'joinRoom', { roomName: ROOM, since: 3, epoch });
    expect(old.response).toMatchObject({ recovered: false, offset: 12 });
    expect(chatFrames(stale)).toEqual([]);
  });

  it('refuses to recover an offset without its epoch, or of another epoch', async () => {
    const { server, connect } = await start({
      rooms: { patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 60_000 } }] },
    });
    for (let n = 1; n <= 3; n++) await server.broadcastToRoom({ roomName: ROOM, data: chat(n) });
    const c = await connect();
    const without = await c.request('system', 'joinRoom', { roomName: ROOM, since: 1 });
    expect(without.response).toMatchObject({ recovered: false, offset: 3 });
    const other = await c.request('system', 'joinRoom', { roomName: ROOM, since: 1, epoch: 'not-this-one' });
    expect(other.response).toMatchObject({ recovered: false, offset: 3 });
    const bad = await c.request('system', 'joinRoom', { roomName: ROOM, since: 1, epoch: 7 });
    expect(bad.error).toMatchObject({ code: 'INVALID_MESSAGE' });
    expect(chatFrames(c)).toEqual([]);
  });

  it('delivers live here within maxLiveDelayMs while the history does not answer, then tells members where exact delivery resumes', async () => {
    const history = new StallingHistory();
    const { server, connect } = await start({
      history,
      rooms: {
        maxLiveDelayMs: 100,
        patterns: [{ match: 'chat:*', history: { size: 100, ttlMs: 60_000 } }],
      },
    });
    const a = await connect();
    await a.request('system', 'joinRoom', { roomName: ROOM });
    await server.broadcastToRoom({ roomName: ROOM, data: chat(1) });
    await a.next(f => f.offset === 1);
    history.stall();
    const appended = [2, 3, 4].map(n => server.broadcastToRoom({ roomName: ROOM, data: chat(n) }));
    await a.next(f => f.type === 'chat' && f.data === 4);
    const interrupted = a.frames.findIndex(f => f.action === 'roomInterrupted');
    expect(a.frames[interrupted]).toMatchObject({ type: 'system', data: { roomName: ROOM } });
    const live = chatFrames(a).slice(1);
    expect(live.map(f => [f.data, f.offset])).toEqual([
      [2, undefined],
      [3, undefined],
      [4, undefined],
    ]);
    expect(interrupted).toBeLessThan(a.frames.indexOf(live[0]!));
    history.resume();
    await Promise.all(appended);
    await server.broadcastToRoom({ roomName: ROOM, data: chat(5) });
    await a.next(f => f.offset === 5);
    // The durable copies of 2-4 are not shown again; members learn that exact delivery resumes
    // after the last message they had live, and nothing after that position is one they had.
    expect(chatFrames(a).map(f => f.data)).toEqual([1, 2, 3, 4, 5]);
    const notice = a.frames.find(f => f.action === 'roomNotRecovered');
    expect(notice).toMatchObject({ data: { roomName: ROOM, offset: 4, epoch: expect.any(String) } });
    expect(a.frames.indexOf(notice!)).toBeLessThan(a.frames.findIndex(f => f.offset === 5));
  });
});
