// Issue 6, end to end: JWT auth through the real upgrade path of nodes in child processes, users
// reached on every node, expiry, and not one token in any log line (SPEC section 5).
import { createJwtAuthenticator, signToken } from '@roomcast/auth';
import { WebSocketServer } from '@roomcast/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ConnectOptions,
  type Frame,
  openClient,
  refusedStatus,
  type TestClient,
  until,
} from './support/clients';
import { ONE_REDIS, type RedisTarget } from './support/redis-targets';
import { type NodeConfig, type RoomcastNode, startNode } from './support/roomcast-node';

const SECRET = 'auth-end-to-end-secret-of-at-least-32-bytes';
/** Every token this file hands out, good or bad: none may reach a log. */
const issued = new Set<string>();

/** A token for `sub`; `expiresIn: null` signs one without `exp`. */
function token(sub: string, expiresIn: number | string | null = '1h', claims: object = {}): string {
  const options = expiresIn === null ? { secret: SECRET } : { secret: SECRET, expiresIn };
  const signed = signToken({ ...claims, sub }, options);
  issued.add(signed);
  return signed;
}

function badTokens(): Record<string, string> {
  const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const tokens = {
    garbage: 'not.a.jwt',
    'wrong key': signToken(
      { sub: 'mallory' },
      { secret: 'another-secret-of-at-least-32-bytes!!', expiresIn: '1h' },
    ),
    expired: signToken({ sub: 'alice', exp: Math.floor(Date.now() / 1000) - 60 }, { secret: SECRET }),
    'alg none': `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub: 'alice' })}.`,
    'no sub': signToken({ name: 'alice' }, { secret: SECRET, expiresIn: '1h' }),
  };
  for (const value of Object.values(tokens)) issued.add(value);
  return tokens;
}

describe('JWT auth across nodes', () => {
  let redis: RedisTarget;
  let a: RoomcastNode;
  let b: RoomcastNode;
  let strict: RoomcastNode;
  const open: TestClient[] = [];

  const connect = async (node: RoomcastNode, options: ConnectOptions = {}) => {
    const client = await openClient(node.url, options);
    open.push(client);
    return client;
  };
  const authenticatedAs = async (client: TestClient) =>
    (
      (await client.next(f => f.type === 'auth' && f.action === 'authenticated', 10_000)).data as {
        userId: string;
      }
    ).userId;

  beforeAll(async () => {
    redis = await ONE_REDIS.start();
    const config: NodeConfig = {
      redis: redis.connection,
      appName: 'auth',
      auth: { secret: SECRET },
      rooms: { patterns: [{ match: 'chat:*', presence: true }] },
      roomPolicies: { userRoom: { prefix: 'notifications:user:' }, claimRoom: { match: 'private:*' } },
      server: { debug: { printRoutes: true, printSubscribers: true } },
    };
    a = await startNode({ ...config, nodeId: 'A' });
    b = await startNode({ ...config, nodeId: 'B' });
    strict = await startNode({
      ...config,
      nodeId: 'S',
      auth: { secret: SECRET, required: true, loginTimeoutMs: 1_500 },
    });
  }, 120_000);

  afterAll(async () => {
    await Promise.all(open.map(client => client.close()));
    await Promise.all([a, b, strict].map(node => node?.stop()));
    await redis?.stop();
  });

  it('takes the token from ?token= or Authorization: Bearer', async () => {
    const viaQuery = await connect(a, { token: token('alice') });
    const viaHeader = await connect(b, { bearer: token('bob') });
    expect(await authenticatedAs(viaQuery)).toBe('alice');
    expect(await authenticatedAs(viaHeader)).toBe('bob');
    expect(viaHeader.frames.slice(0, 2).map(f => `${f.type}.${f.action}`)).toEqual([
      'system.connected',
      'auth.authenticated',
    ]);
  });

  it('answers a bad, expired, alg:none, wrong-key or sub-less token with HTTP 401 and keeps nothing', async () => {
    const before = (await a.server.getHealth()).activeConnections;
    for (const [name, bad] of Object.entries(badTokens())) {
      expect({ name, query: await refusedStatus(a.url, { token: bad }) }).toEqual({ name, query: 401 });
      expect({ name, bearer: await refusedStatus(a.url, { bearer: bad }) }).toEqual({ name, bearer: 401 });
    }
    expect((await a.server.getHealth()).activeConnections).toBe(before);
  });

  it('without a token: anonymous when auth is optional; when required, closed 4001 unless auth.login comes', async () => {
    const anonymous = await connect(a);
    expect((await anonymous.request('system', 'ping')).response).toBe('pong');
    expect(anonymous.received('auth', 'authenticated')).toEqual([]);

    const silent = await connect(strict);
    expect((await silent.closed).code).toBe(4001);

    const late = await connect(strict);
    expect((await late.request('system', 'ping')).error).toMatchObject({ code: 'UNAUTHORIZED' });
    expect((await late.request('auth', 'login', { token: token('carol') })).response).toMatchObject({
      success: true,
      userId: 'carol',
    });
    expect(await authenticatedAs(late)).toBe('carol');
    expect((await late.request('system', 'ping')).response).toBe('pong');
  });

  it('required, with auth.login turned off (loginTimeoutMs: 0): no token is HTTP 401', async () => {
    const server = new WebSocketServer({
      authenticator: createJwtAuthenticator({ secret: SECRET, required: true, loginTimeoutMs: 0 }),
    });
    const { url } = await server.listen();
    try {
      expect(await refusedStatus(url)).toBe(401);
      const client = await openClient(url, { token: token('hana') });
      expect(await authenticatedAs(client)).toBe('hana');
      await client.close();
    } finally {
      await server.stop({ timeoutMs: 500 });
    }
  });

  it('takes identity from the token only: a userId in joinRoom data is ignored on every node', async () => {
    const watcher = await connect(b, { token: token('bob') });
    await watcher.request('system', 'joinRoom', { roomName: 'chat:ids' });
    const alice = await connect(a, { token: token('alice') });
    const reply = await alice.request('system', 'joinRoom', {
      roomName: 'chat:ids',
      userId: 'mallory',
      userType: 'admin',
      username: '  Alice  ',
    });
    expect(reply.response).toMatchObject({ success: true });
    const joined = await watcher.next(
      f =>
        f.type === 'presence' &&
        f.action === 'join' &&
        (f.data as { clientId: string }).clientId === alice.clientId,
    );
    expect(joined.data).toMatchObject({ roomName: 'chat:ids', userId: 'alice', username: 'Alice' });
    const members = await b.server.getRoomMembers('chat:ids');
    expect(members.find(m => m.clientId === alice.clientId)).toMatchObject({ userId: 'alice', nodeId: 'A' });
    expect(members.map(m => m.userId).sort()).toEqual(['alice', 'bob']);
  });

  it('authorizeJoin from JWT claims: a user’s own notifications room, private rooms listed in the token', async () => {
    const alice = await connect(a, { token: token('alice', '1h', { rooms: ['private:ops'] }) });
    const bob = await connect(b, { token: token('bob') });
    const anonymous = await connect(b);
    const join = (client: TestClient, roomName: string) => client.request('system', 'joinRoom', { roomName });

    expect((await join(alice, 'notifications:user:alice')).response).toMatchObject({ success: true });
    expect((await join(alice, 'private:ops')).response).toMatchObject({ success: true });
    for (const [client, room] of [
      [bob, 'notifications:user:alice'],
      [anonymous, 'notifications:user:alice'],
      [bob, 'private:ops'],
    ] as const) {
      expect((await join(client, room)).error).toMatchObject({ code: 'FORBIDDEN' });
    }
    expect((await join(bob, 'notifications:user:bob')).response).toMatchObject({ success: true });
    // The private room works across nodes: B's broadcast reaches alice on A, only her.
    await b.server.broadcastToRoom({
      roomName: 'notifications:user:alice',
      data: { type: 'test', action: 'note' },
    });
    await alice.next(f => f.type === 'test' && f.action === 'note');
    expect((await a.server.getRoomMembers('notifications:user:alice')).map(m => m.userId)).toEqual(['alice']);
  });

  it('broadcastToUsers reaches every socket of a user, on every node, exactly once', async () => {
    const alices = [
      await connect(a, { token: token('alice') }),
      await connect(a, { bearer: token('alice') }),
      await connect(b, { token: token('alice') }),
    ];
    const others = [await connect(b, { token: token('bob') }), await connect(a)];
    for (const origin of [a, b]) {
      await origin.server.broadcastToUsers({
        userIds: ['alice'],
        data: { type: 'test', action: 'dm', data: { from: origin.nodeId } },
      });
      await origin.server.broadcastToAllClients({
        data: { type: 'fence', action: 'users', data: origin.nodeId },
      });
    }
    const fenced = (from: string) => (f: Frame) => f.type === 'fence' && f.data === from;
    for (const client of [...alices, ...others])
      for (const from of ['A', 'B']) await client.next(fenced(from));
    const dms = (client: TestClient) =>
      client
        .received('test', 'dm')
        .map(f => (f.data as { from: string }).from)
        .sort();
    for (const client of alices) expect(dms(client)).toEqual(['A', 'B']);
    for (const client of others) expect(dms(client)).toEqual([]);
  });

  it('closes the socket 4001 when the token expires, unless refreshed for the same user', async () => {
    // Signed first, so it expires no later than `expiring`'s token.
    const refreshed = await connect(b, { token: token('dave', 2) });
    const expiring = await connect(a, { token: token('dave', 2) });
    const reply = await refreshed.request('auth', 'refresh', { token: token('dave', '1h') });
    expect(reply.response).toMatchObject({ success: true, userId: 'dave' });
    const forOther = await refreshed.request('auth', 'refresh', { token: token('erin', '1h') });
    expect(forOther.error).toMatchObject({ code: 'FORBIDDEN' });

    expect(await expiring.closed).toMatchObject({ code: 4001 });
    // Past its first token's expiry, the refreshed socket still answers.
    expect((await refreshed.request('system', 'ping')).response).toBe('pong');
  });

  // A refresh replaces the old token's expiry, also with a token that never expires.
  it('keeps a socket refreshed with a token without exp open past the old expiry', async () => {
    const refreshed = await connect(b, { token: token('gina', 2) });
    const witness = await connect(a, { token: token('gina', 2) });
    const reply = await refreshed.request('auth', 'refresh', { token: token('gina', null) });
    expect(reply.response).toMatchObject({ success: true, userId: 'gina', expiresAt: null });
    expect(await witness.closed).toMatchObject({ code: 4001 });
    const answer = await Promise.race([refreshed.request('system', 'ping'), refreshed.closed]);
    expect(answer).toMatchObject({ response: 'pong' });
  });

  it('never writes a token to any log line or output of any node', async () => {
    // One more of each kind in this test's own run, so it stands alone.
    await connect(a, { token: token('frank') });
    await connect(b, { bearer: token('frank') });
    for (const bad of Object.values(badTokens())) {
      await refusedStatus(a.url, { token: bad });
      await refusedStatus(b.url, { bearer: bad });
    }
    const late = await connect(strict);
    await late.request('auth', 'login', { token: token('frank') });
    await late.request('auth', 'refresh', { token: token('frank') });
    await late.request('auth', 'refresh', { token: 'not.a.jwt' });
    await late.request('auth', 'login', { token: token('frank') });

    const nodes = [a, b, strict];
    // The capture works: the refusals are there, with their reason.
    await until('the refusals to be logged', () =>
      [a, b].every(node => node.logs.some(line => line.message.includes('bad token'))),
    );
    const everything = nodes.map(node => `${JSON.stringify(node.logs)}\n${node.output}`).join('\n');
    // The whole token, and its payload or signature alone (a header is the same for every token).
    const secrets = [...issued].flatMap(t => [t, ...t.split('.').slice(1)]).filter(part => part.length >= 16);
    expect(secrets.filter(secret => everything.includes(secret))).toEqual([]);
    expect(everything).not.toContain(SECRET);
  });
});
