// Issue 22 point 1 across nodes: two apps on one real Redis. A batched presence room's diffs are
// batched per room per node and cross the bus; `system.presence` pages through every node's members.
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { WebApplication } from 'roomcast';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type TestClient, useClients } from './support/clients';

const ROOM = 'live:stage';
type Member = { clientId: string; userId: unknown; username: string | null };
type Diff = { roomName: string; joins: Member[]; leaves: Member[] };

let redis: RedisProcess;
let a: WebApplication;
let b: WebApplication;
beforeAll(async () => {
  redis = await startRedis();
  const app = (nodeId: string) =>
    new WebApplication({
      name: 'presence-scale',
      webserver: { port: 0 },
      redis: { host: '127.0.0.1', port: redis.port },
      websocket: { nodeId, rooms: { patterns: [{ match: 'live:*', presence: { batchMs: 200 } }] } },
      handleSignals: false,
    });
  a = app('A');
  b = app('B');
  await a.start();
  await b.start();
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

const open = useClients();
const urlOf = (app: WebApplication) => `ws://127.0.0.1:${app.webserver.port}/ws`;

async function member(app: WebApplication, username: string): Promise<TestClient> {
  const client = await open(urlOf(app));
  const reply = await client.request('system', 'joinRoom', { roomName: ROOM, username });
  expect(reply.response).toMatchObject({ success: true });
  return client;
}

const diffsOf = (client: TestClient) => client.received('presence', 'diff').map(f => f.data as Diff);
const listedIn = (client: TestClient, key: 'joins' | 'leaves') =>
  new Set(diffsOf(client).flatMap(diff => diff[key].map(m => m.clientId)));

it("lists another node's joins and leaves in diffs, and pages through both nodes' members", async () => {
  const watcher = await member(a, 'watcher');
  const remote: TestClient[] = [];
  for (let i = 0; i < 8; i++) remote.push(await member(b, `b${i}`));
  const local: TestClient[] = [];
  for (let i = 0; i < 4; i++) local.push(await member(a, `a${i}`));
  const everyone = [watcher, ...remote, ...local];

  // The watcher on A learns of B's joins from B's diffs, each listed once, never per event.
  await watcher.next(() => remote.every(c => listedIn(watcher, 'joins').has(c.clientId)));
  await watcher.next(() => local.every(c => listedIn(watcher, 'joins').has(c.clientId)));
  const joins = diffsOf(watcher).flatMap(d => d.joins.map(m => m.clientId));
  expect(joins.filter(id => id !== watcher.clientId).sort()).toEqual(
    [...remote, ...local].map(c => c.clientId).sort(),
  );
  expect(watcher.received('presence', 'join')).toEqual([]);
  // And a member on B hears of A's joins the same way.
  const far = remote[7] as TestClient;
  await far.next(() => local.every(c => listedIn(far, 'joins').has(c.clientId)));

  // Pages of 5 through 13 members on two nodes, via the Redis room store.
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 10; page++) {
    const reply = (await far.request('system', 'presence', { roomName: ROOM, cursor, limit: 5 }))
      .response as {
      count: number;
      members: Member[];
      nextCursor: string | null;
    };
    expect(reply.count).toBe(everyone.length);
    ids.push(...reply.members.map(m => m.clientId));
    if (reply.nextCursor === null) break;
    cursor = reply.nextCursor;
  }
  expect(ids.sort()).toEqual(everyone.map(c => c.clientId).sort());

  // Leaves on B reach the watcher on A in B's diffs.
  const leaving = remote.slice(0, 3);
  await Promise.all(leaving.map(c => c.request('system', 'leaveRoom', { roomName: ROOM })));
  await watcher.next(() => leaving.every(c => listedIn(watcher, 'leaves').has(c.clientId)));
  expect(diffsOf(watcher).every(d => d.roomName === ROOM)).toBe(true);
}, 120_000);
