import type { History, HistorySince } from '@roomcast/protocol';
import { MemoryHistory } from '@roomcast/rooms';
import type { TestClient } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it, vi } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

vi.setConfig({ testTimeout: 120_000 });

const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const ROOM = 'chat:general';
const rooms = { patterns: [{ match: 'chat:*', history: { size: 50, ttlMs: 60_000 } }] };

/** A MemoryHistory whose reads wait until the test lets them go, to force races. */
class GatedHistory implements History {
  readonly inner = new MemoryHistory();
  #open: Promise<void> = Promise.resolve();
  #release = () => {};
  readonly reads: number[] = [];

  closeGate(): void {
    this.#open = new Promise(resolve => {
      this.#release = resolve;
    });
  }
  openGate(): void {
    this.#release();
  }
  append: History['append'] = (...args) => this.inner.append(...args);
  latest: History['latest'] = (...args) => this.inner.latest(...args);
  async since(roomName: string, since: number, epoch?: string): Promise<HistorySince> {
    this.reads.push(since);
    await this.#open;
    return this.inner.since(roomName, since, epoch);
  }
  close = () => this.inner.close();
}

const say = (server: WebSocketServer, n: number) =>
  server.broadcastToRoom({ roomName: ROOM, data: { type: 'chat', action: 'message', data: n } });
const offsets = (client: TestClient) =>
  client.frames.filter(f => f.type === 'chat').map(f => f.offset as number);
/** The room's epoch, as a join reply gives it. */
async function epochOf(client: TestClient): Promise<string> {
  const reply = await client.request('system', 'joinRoom', { roomName: ROOM });
  return (reply.response as { epoch: string }).epoch;
}

describe('room history and recovery', () => {
  it('gives each room message the next offset; a join replies with the latest one', async () => {
    const { server, connect } = await start({ rooms });
    const a = await connect();
    expect(await a.request('system', 'joinRoom', { roomName: ROOM })).toMatchObject({
      response: { success: true, offset: 0 },
    });
    for (let n = 1; n <= 3; n++) await say(server, n);
    await a.next(f => f.offset === 3);
    expect(offsets(a)).toEqual([1, 2, 3]);
    expect(a.frames.find(f => f.offset === 2)).toMatchObject({ room: ROOM, data: 2 });
    const b = await connect();
    const joined = await b.request('system', 'joinRoom', { roomName: ROOM });
    expect(joined.response).toMatchObject({ offset: 3, epoch: expect.any(String) });
    expect(joined.response).not.toHaveProperty('recovered');
  });

  it('keeps the epoch a join of an empty room gave, so that client can recover later', async () => {
    const { server, connect } = await start({ rooms });
    const a = await connect();
    const first = await a.request('system', 'joinRoom', { roomName: ROOM });
    const { epoch } = first.response as { epoch: string };
    for (let n = 1; n <= 3; n++) await say(server, n);
    const b = await connect();
    const reply = await b.request('system', 'joinRoom', { roomName: ROOM, since: 0, epoch });
    expect(reply.response).toMatchObject({ recovered: true, offset: 3, epoch });
    expect(offsets(b)).toEqual([1, 2, 3]);
  });

  it('replays what came after `since`, in order and before the reply', async () => {
    const { server, connect } = await start({ rooms });
    for (let n = 1; n <= 5; n++) await say(server, n);
    const epoch = await epochOf(await connect());
    const c = await connect();
    const reply = await c.request('system', 'joinRoom', { roomName: ROOM, since: 2, epoch });
    expect(reply.response).toMatchObject({
      success: true,
      roomName: ROOM,
      recovered: true,
      offset: 5,
      epoch,
    });
    expect(offsets(c)).toEqual([3, 4, 5]);
    expect(c.frames.indexOf(reply)).toBeGreaterThan(c.frames.findIndex(f => f.offset === 5));
  });

  it('replays the newest kept messages on a join with `rewind` (a backlog)', async () => {
    const { server, connect } = await start({ rooms });
    for (let n = 1; n <= 60; n++) await say(server, n);
    const c = await connect();
    const reply = await c.request('system', 'joinRoom', { roomName: ROOM, rewind: 3 });
    expect(reply.response).toMatchObject({ success: true, roomName: ROOM, offset: 60 });
    expect(reply.response).not.toHaveProperty('recovered');
    expect(offsets(c)).toEqual([58, 59, 60]);
    const d = await connect();
    await d.request('system', 'joinRoom', { roomName: ROOM, rewind: 1_000 });
    expect(offsets(d)).toEqual(Array.from({ length: 50 }, (_, i) => i + 11));
  });

  it.each([
    ['since', -1],
    ['since', 'abc'],
    ['rewind', 1.5],
  ])('refuses %s: %j with INVALID_MESSAGE and does not join', async (key, value) => {
    const { server, connect } = await start({ rooms });
    const c = await connect();
    const reply = await c.request('system', 'joinRoom', { roomName: ROOM, [key]: value });
    expect(reply.error).toMatchObject({
      code: 'INVALID_MESSAGE',
      message: `${key} must be a whole number >= 0`,
    });
    expect(server.rooms.get(ROOM)?.has(c.clientId)).toBeFalsy();
  });

  it('answers recovered: false when the gap is older than the history, and replays nothing', async () => {
    const { server, connect } = await start({ rooms });
    for (let n = 1; n <= 60; n++) await say(server, n);
    const epoch = await epochOf(await connect());
    const c = await connect();
    const reply = await c.request('system', 'joinRoom', { roomName: ROOM, since: 5, epoch });
    expect(reply.response).toMatchObject({ recovered: false, offset: 60 });
    await say(server, 61);
    await c.next(f => f.offset === 61);
    expect(offsets(c)).toEqual([61]);
  });

  it('answers recovered: false, and still joins, when the history cannot be read', async () => {
    const history = new GatedHistory();
    history.since = () => Promise.reject(new Error('history down'));
    history.latest = history.since;
    const { server, connect } = await start({ rooms, history });
    const c = await connect();
    const reply = await c.request('system', 'joinRoom', { roomName: ROOM, since: 3 });
    expect(reply.response).toMatchObject({ success: true, roomName: ROOM, recovered: false });
    await say(server, 1);
    await c.next(f => f.offset === 1);
  });

  it('loses and repeats nothing when 2,000 broadcasts race a recovering join', async () => {
    const history = new GatedHistory();
    const { server, connect } = await start({
      rooms: { patterns: [{ match: 'chat:*', history: { size: 5_000, ttlMs: 60_000 } }] },
      history,
    });
    for (let n = 1; n <= 100; n++) await say(server, n);
    const epoch = await epochOf(await connect());
    const c = await connect();
    history.closeGate();
    const joined = c.request('system', 'joinRoom', { roomName: ROOM, since: 40, epoch });
    let opened = false;
    for (let n = 101; n <= 2_000; n++) {
      await say(server, n);
      // Let the replay go once live messages are already waiting for this client.
      if (!opened && n === 300) {
        expect(history.reads).toEqual([40]);
        history.openGate();
        opened = true;
      }
      await new Promise(resolve => setImmediate(resolve));
    }
    expect((await joined).response).toMatchObject({ recovered: true });
    await c.next(f => f.offset === 2_000);
    expect(offsets(c)).toEqual(Array.from({ length: 1_960 }, (_, i) => i + 41));
  });
});
