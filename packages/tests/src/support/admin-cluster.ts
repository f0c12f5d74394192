/**
 * Two Roomcast nodes with the admin dashboard on one redis-server the test starts: node 1 a
 * WebApplication in the test's process, node 2 `admin-node.mjs` in a child process (so a test
 * can SIGSTOP it). `adminGet` reads the dashboard's JSON with the credentials.
 */
import { type ProgramProcess, startProgram } from '@roomcast/test-support/program-process';
import { type RedisProcess, startRedis } from '@roomcast/test-support/redis-process';
import { WebApplication } from 'roomcast';
import { openClient, type TestClient } from './clients';

export const ADMIN_PASSWORD = 'two-node-admin-password';
export const AS_ADMIN = {
  Authorization: `Basic ${Buffer.from(`admin:${ADMIN_PASSWORD}`).toString('base64')}`,
};
const ENTRY = new URL('./admin-node.mjs', import.meta.url).pathname;
const ROOMS = { patterns: [{ match: 'chat:*', presence: true, history: { size: 50, ttlMs: 60_000 } }] };

export interface AdminCluster {
  redis: RedisProcess;
  node1: WebApplication;
  node2: ProgramProcess;
  node2Id: string;
  /** http://127.0.0.1:<port> of each node. */
  base1: string;
  base2: string;
  /** A ws client of the node at `base`, joined to `room` as `username`; closed by stop(). */
  join(base: string, room: string, username: string): Promise<TestClient>;
  stop(): Promise<void>;
}

let apps = 0;

export async function startAdminCluster(): Promise<AdminCluster> {
  const redis = await startRedis();
  const name = `admin-${process.pid}-${++apps}`;
  const node1 = new WebApplication({
    name,
    webserver: { port: 0 },
    handleSignals: false,
    logger: false,
    redis: { host: redis.host, port: redis.port },
    websocket: { rooms: ROOMS },
    admin: { password: ADMIN_PASSWORD },
  });
  await node1.start();
  const node2 = startProgram(ENTRY, {
    REDIS_PORT: String(redis.port),
    APP_NAME: name,
    ADMIN_PASSWORD,
    NODE_ENV: 'test',
  });
  await node2.waitFor('listening', 60_000);
  const [, port2, node2Id] = /listening (\d+) (\S+)/.exec(node2.output()) ?? [];
  const clients: TestClient[] = [];
  return {
    redis,
    node1,
    node2,
    node2Id: node2Id ?? '',
    base1: `http://127.0.0.1:${node1.webserver.port}`,
    base2: `http://127.0.0.1:${port2}`,
    async join(base, room, username) {
      const client = await openClient(`${base.replace('http', 'ws')}/ws`);
      clients.push(client);
      await client.request('system', 'joinRoom', { roomName: room, username });
      return client;
    },
    async stop() {
      await Promise.all(clients.map(client => client.close()));
      // A stopped (SIGSTOP) process cannot take its SIGTERM until it runs again.
      if (node2.pid !== undefined) process.kill(node2.pid, 'SIGCONT');
      await Promise.allSettled([node1.stop(), node2.stop()]);
      await redis.stop();
    },
  };
}

export async function adminGet<T = Record<string, unknown>>(base: string, path: string): Promise<T> {
  const response = await fetch(`${base}/admin/api${path}`, { headers: AS_ADMIN });
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return (await response.json()) as T;
}
