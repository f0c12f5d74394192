// Issue 20: the HTTP publish API of a WebApplication on Redis, from a plain HTTP client (fetch):
// a broadcast posted to one app reaches members on both apps exactly once, a history room's
// offset in the answer is the one members on both get, the room queries are cluster-wide, and a
// user is disconnected on every node. On one redis-server (plus a 503 while Redis is gone) and on
// a 3-master Cluster. Every other answer (400, 401, 404, 405, 413) is in packages/roomcast.
import { signToken } from '@roomcast/auth';
import { WebApplication } from 'roomcast';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openClient, type TestClient } from './support/clients';
import { ONE_REDIS, REDIS_CLUSTER, type RedisTarget } from './support/redis-targets';

const KEY = 'cross-node-api-key-of-32-characters';
const SECRET = 'cross-node-api-jwt-secret-of-32-bytes';
let apps = 0;

function suite(name: string, start: () => Promise<RedisTarget>, { redisGoesAway = false } = {}) {
  describe(`the HTTP API of two apps on ${name}`, () => {
    let redis: RedisTarget;
    let nodes: WebApplication[] = [];
    const clients: TestClient[] = [];

    beforeAll(async () => {
      redis = await start();
      const appName = `http-api-${++apps}`;
      for (let i = 0; i < 2; i++) {
        const app = new WebApplication({
          name: appName,
          webserver: { port: 0 },
          handleSignals: false,
          logger: false,
          redis: redis.connection,
          auth: { jwtSecretKey: SECRET },
          websocket: { rooms: { patterns: [{ match: 'kept:*', history: { size: 100, ttlMs: 60_000 } }] } },
          api: { key: KEY, timeoutMs: 1_000 },
        });
        await app.start();
        nodes.push(app);
      }
    }, 180_000);

    afterAll(async () => {
      await Promise.all(clients.map(client => client.close()));
      await Promise.all(nodes.map(app => app.stop()));
      nodes = [];
      await redis?.stop();
    });

    const base = (app: WebApplication) => `http://127.0.0.1:${app.webserver.port}`;
    const post = async (app: WebApplication, path: string, body: unknown) => {
      const response = await fetch(`${base(app)}${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    };
    const get = async (app: WebApplication, path: string) =>
      (await fetch(`${base(app)}${path}`, { headers: { Authorization: `Bearer ${KEY}` } })).json();
    const join = async (app: WebApplication, user: string, rooms: string[]) => {
      const token = signToken({ sub: user }, { secret: SECRET, expiresIn: '1h' });
      const client = await openClient(`ws://127.0.0.1:${app.webserver.port}/ws`, { token });
      clients.push(client);
      for (const roomName of rooms) await client.request('system', 'joinRoom', { roomName });
      return client;
    };

    it('a broadcast posted to one app reaches members on both once; history offsets match', async () => {
      const [a, b] = nodes as [WebApplication, WebApplication];
      const onA = await join(a, 'alice', ['plain', 'kept:r']);
      const onB = await join(b, 'bob', ['plain', 'kept:r']);
      const offsets: number[] = [];
      for (let n = 1; n <= 3; n++) {
        const data = { type: 'news', action: 'item', data: { n } };
        expect(await post(a, '/api/broadcast', { room: 'plain', data })).toEqual({
          status: 200,
          body: { ok: true },
        });
        const kept = await post(b, '/api/broadcast', { room: 'kept:r', data });
        expect(kept).toMatchObject({ status: 200, body: { ok: true, offset: expect.any(Number) } });
        offsets.push(kept.body.offset);
      }
      expect(offsets).toEqual([offsets[0], offsets[0]! + 1, offsets[0]! + 2]);
      for (const client of [onA, onB]) {
        await client.next(frame => frame.room === 'kept:r' && frame.offset === offsets[2]);
        await client.next(frame => frame.room === 'plain' && (frame.data as { n: number }).n === 3);
        const got = (room: string) => client.received('news', 'item').filter(frame => frame.room === room);
        expect(got('plain').map(frame => (frame.data as { n: number }).n)).toEqual([1, 2, 3]);
        expect(got('kept:r').map(frame => frame.offset)).toEqual(offsets);
      }
      expect((await get(a, '/api/rooms')).rooms).toEqual(['kept:r', 'plain']);
      const members = await get(b, '/api/rooms/plain/members');
      expect(members.members.map((m: { userId: string }) => m.userId).sort()).toEqual(['alice', 'bob']);
    });

    it('POST /api/disconnect { userId } closes that user on every node', async () => {
      const [a, b] = nodes as [WebApplication, WebApplication];
      const carolA = await join(a, 'carol', []);
      const carolB = await join(b, 'carol', []);
      const dave = await join(b, 'dave', []);
      expect(await post(a, '/api/disconnect', { userId: 'carol', code: 4003, reason: 'banned' })).toEqual({
        status: 200,
        body: { ok: true },
      });
      expect(await Promise.all([carolA.closed, carolB.closed])).toEqual([
        { code: 4003, reason: 'banned' },
        { code: 4003, reason: 'banned' },
      ]);
      expect(await post(b, '/api/disconnect', { clientId: dave.clientId })).toMatchObject({ status: 200 });
      expect((await dave.closed).code).toBe(1000);
    });

    if (redisGoesAway) {
      it('503 when Redis does not answer within api.timeoutMs', async () => {
        const [a] = nodes as [WebApplication];
        const server = await redis.serverOf('kept:r', 'unused');
        await server.kill();
        const answer = await post(a, '/api/broadcast', {
          room: 'kept:r',
          data: { type: 'news', action: 'item', data: {} },
        });
        expect(answer).toMatchObject({ status: 503, body: { ok: false, error: { code: 'INTERNAL_ERROR' } } });
        await server.restart();
      });
    }
  });
}

suite(ONE_REDIS.name, ONE_REDIS.start, { redisGoesAway: true });
suite(REDIS_CLUSTER.name, REDIS_CLUSTER.start);
