// Issue 22 point 1: presence that scales. Real server, real ws clients: batched rooms get diffs,
// counts-only rooms get counts, `system.presence` pages through more members than a page.
import { ErrorCode } from '@roomcast/protocol';
import type { TestClient } from '@roomcast/test-support/test-client';
import { useTestServers } from '@roomcast/test-support/test-servers';
import { describe, expect, it } from 'vitest';
import type { WebSocketServerOptions } from '../options';
import { WebSocketServer } from '../server';

const BATCH_MS = 300;
const start = useTestServers((options?: WebSocketServerOptions) => new WebSocketServer(options));
const patterns = [
  { match: 'diff:*', presence: { batchMs: BATCH_MS } },
  { match: 'count:*', presence: 'count' as const },
  { match: 'events:*', presence: true },
];
type Member = { clientId: string; userId: unknown; username: string | null };
type Diff = { roomName: string; joins: Member[]; leaves: Member[] };

async function joined(client: TestClient, roomName: string, username?: string): Promise<void> {
  const reply = await client.request('system', 'joinRoom', { roomName, username });
  expect(reply.response).toMatchObject({ success: true });
}

function presenceFrames(client: TestClient) {
  return client.frames.filter(f => f.type === 'presence');
}

/** Waits until the diffs a client got list `clientIds` among their joins (or leaves). */
async function listed(client: TestClient, key: 'joins' | 'leaves', clientIds: string[]): Promise<Diff[]> {
  const want = new Set(clientIds);
  const seen = () =>
    new Set(client.received('presence', 'diff').flatMap(f => (f.data as Diff)[key].map(m => m.clientId)));
  await client.next(() => [...want].every(id => seen().has(id)), 60_000);
  return client.received('presence', 'diff').map(f => f.data as Diff);
}

describe('presence: { batchMs }', () => {
  it('lists joins and leaves in diffs, at most one frame per interval, never a frame per join', async () => {
    const { connect } = await start({ rooms: { patterns } });
    const watcher = await connect();
    await joined(watcher, 'diff:a', 'watcher');
    const started = performance.now();
    const joiners: TestClient[] = [];
    for (let i = 0; i < 20; i++) joiners.push(await connect());
    await Promise.all(joiners.map((c, i) => joined(c, 'diff:a', `user-${i}`)));
    const ids = joiners.map(c => c.clientId);
    const afterJoins = await listed(watcher, 'joins', ids);

    // Each joiner is listed once, with its details; nothing came as per-event frames.
    const joins = afterJoins.flatMap(d => d.joins).filter(m => m.clientId !== watcher.clientId);
    expect(joins.map(m => m.clientId).sort()).toEqual([...ids].sort());
    expect(joins.find(m => m.clientId === ids[3])).toEqual({
      clientId: ids[3],
      userId: null,
      username: 'user-3',
    });
    expect(watcher.received('presence', 'join')).toEqual([]);
    for (const diff of afterJoins) expect(diff.roomName).toBe('diff:a');

    await Promise.all(
      joiners.slice(0, 10).map(c => c.request('system', 'leaveRoom', { roomName: 'diff:a' })),
    );
    await Promise.all(joiners.slice(10).map(c => c.close()));
    await listed(watcher, 'leaves', ids);
    const elapsed = performance.now() - started;
    const leaves = watcher.received('presence', 'diff').flatMap(f => (f.data as Diff).leaves);
    expect(leaves.map(m => m.clientId).sort()).toEqual([...ids].sort());

    // At most one frame per member per interval: the frames a member got are bounded by the
    // intervals that passed (a loaded machine only makes the bound looser), not by the 40 changes.
    const intervals = Math.ceil(elapsed / BATCH_MS) + 1;
    expect(presenceFrames(watcher).length).toBeLessThanOrEqual(intervals);
    expect(presenceFrames(joiners[0] as TestClient).length).toBeLessThanOrEqual(intervals);
  });
});

describe("presence: 'count'", () => {
  it('sends the member count and never a member list', async () => {
    const { connect } = await start({ rooms: { patterns } });
    const watcher = await connect();
    await joined(watcher, 'count:a', 'watcher');
    const joiners: TestClient[] = [];
    for (let i = 0; i < 12; i++) joiners.push(await connect());
    await Promise.all(joiners.map(c => joined(c, 'count:a')));
    const count = (n: number) => (f: { type?: string; action?: string; data?: unknown }) =>
      f.type === 'presence' && f.action === 'count' && (f.data as { count: number }).count === n;
    expect((await watcher.next(count(13))).data).toEqual({ roomName: 'count:a', count: 13 });
    await Promise.all(joiners.slice(0, 5).map(c => c.close()));
    await watcher.next(count(8));

    for (const frame of presenceFrames(watcher)) expect(frame.action).toBe('count');
    expect(JSON.stringify(watcher.frames)).not.toContain(joiners[0]?.clientId);
    // The list on request is the count too: the room never hands out its members.
    expect((await watcher.request('system', 'presence', { roomName: 'count:a' })).response).toEqual({
      roomName: 'count:a',
      count: 8,
    });
  });
});

describe('system.presence pages', () => {
  it('walks more members than a page with the cursor, each listed once', async () => {
    const { connect } = await start({ rooms: { patterns } });
    const clients: TestClient[] = [];
    for (let i = 0; i < 25; i++) clients.push(await connect());
    await Promise.all(clients.map((c, i) => joined(c, 'events:big', `m${i}`)));
    const asker = clients[0] as TestClient;

    const listedIds: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const reply = (await asker.request('system', 'presence', { roomName: 'events:big', cursor, limit: 10 }))
        .response as { count: number; members: Member[]; nextCursor: string | null };
      expect(reply.count).toBe(25);
      expect(reply.members.length).toBeLessThanOrEqual(10);
      listedIds.push(...reply.members.map(m => m.clientId));
      if (reply.nextCursor === null) break;
      cursor = reply.nextCursor;
    }
    expect(listedIds).toHaveLength(25);
    expect([...listedIds].sort()).toEqual(clients.map(c => c.clientId).sort());

    // Without a limit: one page of up to the maximum, here everyone.
    const whole = (await asker.request('system', 'presence', { roomName: 'events:big' })).response as {
      members: Member[];
      nextCursor: string | null;
    };
    expect(whole.members).toHaveLength(25);
    expect(whole.nextCursor).toBeNull();
    for (const limit of [0, 1001, 2.5, '10']) {
      const refused = await asker.request('system', 'presence', { roomName: 'events:big', limit });
      expect(refused.error).toMatchObject({ code: ErrorCode.INVALID_MESSAGE });
    }
    const badCursor = await asker.request('system', 'presence', { roomName: 'events:big', cursor: 7 });
    expect(badCursor.error).toMatchObject({ code: ErrorCode.INVALID_MESSAGE });
  });
});
