// Issue 16 point 1: user ids match by their string form everywhere. A JWT carries `sub` as the
// string "123" (RFC 7519); the guide's `broadcastToUsers({ userIds: [123, 456, 789] })` must reach
// that user, on this node and across the bus, while the id the user sees stays what the token said.
// Two apps (two nodes) on one real Redis, in this process; real `ws` clients with real JWTs.
import { signToken, userRoomPolicy } from '@roomcast/auth';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { WebApplication, WebSocketService } from 'roomcast';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type Frame, type TestClient, useClients } from './support/clients';

const SECRET = 'user-ids-test-secret-of-at-least-32-bytes';
const ROOM = 'chat:ids';

let redis: RedisProcess;
let a: WebApplication;
let b: WebApplication;
beforeAll(async () => {
  redis = await startRedis();
  const app = (name: string) =>
    new WebApplication({
      name: 'ids',
      webserver: { port: 0 },
      redis: { host: '127.0.0.1', port: redis.port },
      auth: { jwtSecretKey: SECRET },
      websocket: {
        nodeId: name,
        rooms: {
          patterns: [{ match: 'chat:*', presence: true }],
          authorizeJoin: userRoomPolicy({ prefix: 'inbox:' }),
        },
      },
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
const tokenFor = (sub: string | number) => signToken({ sub }, { secret: SECRET, expiresIn: '1h' });
const isTest = (id: string) => (frame: Frame) => frame.type === 'test' && frame.data === id;

async function user(app: WebApplication, sub: string | number): Promise<TestClient> {
  const client = await open(urlOf(app), { token: tokenFor(sub) });
  await client.next(f => f.type === 'auth' && f.action === 'authenticated');
  return client;
}

it('reaches a user whose token says sub: "123" with userIds: [123], here and across the bus', async () => {
  const alice = await user(b, '123'); // string sub, on the other node
  const bob = await user(a, 456); // numeric sub
  const carol = await user(a, '789');
  const dave = await user(b, '1234');

  // The guide's own example, from node A.
  a.websocket.server.broadcastToUsers({
    userIds: [123, 456, 789],
    data: { type: 'test', action: 'users', data: 'guide' },
  });
  // The other way round: a string id reaches the user whose token had a number.
  a.websocket.server.broadcastToUsers({
    userIds: ['456'],
    data: { type: 'test', action: 'users', data: 'str' },
  });
  b.websocket.server.broadcastToUsers({ userIds: [789], data: { type: 'test', action: 'users', data: 'b' } });
  // A barrier per socket and sending node: everything either node sent before it has arrived
  // (one node's messages keep their order on the bus; the two nodes' do not share one).
  for (const [node, id] of [
    [a, 'end-a'],
    [b, 'end-b'],
  ] as const)
    node.websocket.server.broadcastToAllClients({ data: { type: 'test', action: 'fence', data: id } });
  const fenced = (client: TestClient) =>
    Promise.all([client.next(isTest('end-a')), client.next(isTest('end-b'))]);
  await Promise.all([alice, bob, carol, dave].map(fenced));

  const got = (client: TestClient) => client.received('test', 'users').map(frame => frame.data);
  expect(got(alice)).toEqual(['guide']);
  expect(got(bob)).toEqual(['guide', 'str']);
  expect(got(carol)).toEqual(['guide', 'b']);
  expect(got(dave)).toEqual([]);

  expect([...b.websocket.server.getClientIdsOfUser(123)]).toEqual([alice.clientId]);
  expect([...a.websocket.server.getClientIdsOfUser('456')]).toEqual([bob.clientId]);
  expect([...a.websocket.server.clientManager.getClientIdsOfUser(789)]).toEqual([carol.clientId]);

  // The id each user sees is what its token said.
  expect(alice.received('auth', 'authenticated')[0]?.data).toMatchObject({ userId: '123' });
  expect(bob.received('auth', 'authenticated')[0]?.data).toMatchObject({ userId: 456 });
});

it('WebSocketService.sendUserMessage reaches the user with the data as the app gave it', async () => {
  const alice = await user(b, '123');
  const service = new WebSocketService({ webSocketServer: a.websocket.server });
  await service.sendUserMessage('profileUpdated', { userId: 123 });
  expect((await alice.next(f => f.type === 'user' && f.action === 'profileUpdated')).data).toEqual({
    userId: 123,
  });
});

it('shows presence with the userId the token said, and lets authorizeJoin policies match by string form', async () => {
  const alice = await user(b, '123');
  const bob = await user(a, 456);
  expect((await bob.request('system', 'joinRoom', { roomName: ROOM })).response).toMatchObject({
    success: true,
  });
  expect((await alice.request('system', 'joinRoom', { roomName: ROOM })).response).toMatchObject({
    success: true,
  });
  const join = await bob.next(
    f => f.type === 'presence' && (f.data as { clientId?: string }).clientId === alice.clientId,
  );
  expect(join.data).toMatchObject({ userId: '123' });
  const members = await a.websocket.server.getRoomMembers(ROOM);
  expect(members.find(m => m.clientId === alice.clientId)?.userId).toBe('123');
  expect(members.find(m => m.clientId === bob.clientId)?.userId).toBe(456);
  const listed = (await alice.request('system', 'presence', { roomName: ROOM })).response as {
    members: { clientId: string; userId: unknown }[];
  };
  expect(listed.members.map(m => m.userId).sort()).toEqual([456, '123'].sort());

  // userRoomPolicy({ prefix: 'inbox:' }): a numeric sub owns 'inbox:456', a string sub 'inbox:123'.
  expect((await bob.request('system', 'joinRoom', { roomName: 'inbox:456' })).response).toMatchObject({
    success: true,
  });
  expect((await alice.request('system', 'joinRoom', { roomName: 'inbox:123' })).response).toMatchObject({
    success: true,
  });
  expect((await alice.request('system', 'joinRoom', { roomName: 'inbox:456' })).error).toMatchObject({
    code: 'FORBIDDEN',
  });
});
