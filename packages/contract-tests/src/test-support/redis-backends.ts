/**
 * Test support (not exported): the Redis backends the contract suites run on, one redis-server
 * or a 3-master Redis Cluster that the test file starts itself (free loopback ports, killed by
 * pid), and the fixtures that put RedisHistory, RedisRoomStore and RedisBus on them.
 */
import { RedisBus, type RedisClient, RedisHistory, RedisRoomStore } from '@roomcast/redis';
import {
  type RedisClusterProcess,
  type RedisProcess,
  startRedis,
  startRedisCluster,
} from '@roomcast/test-support/redis-process';
import { Cluster, Redis } from 'ioredis';
import type { MakeBus } from '../bus-contract';
import type { MakeHistory } from '../history-contract';
import type { MakeRoomStore } from '../room-store-contract';
import { until } from '../wait';

export interface RedisBackend {
  readonly cluster: boolean;
  /** A new command client (a Cluster client on a Cluster), ready. */
  commands(): Promise<RedisClient>;
  /** A new subscriber client (`shardedSubscribers: true` on a Cluster), ready. */
  subscriber(): Promise<RedisClient>;
  /** Loses every key, as a flush or restart does; resolves once `client` answers again. */
  lose(client: RedisClient): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One redis-server. Its loss is a real restart (SIGKILL, then a fresh server on the same port:
 * persistence is off), so RedisHistory also meets an empty script cache and a reconnect.
 */
export async function startSingleServer(): Promise<RedisBackend> {
  const server: RedisProcess = await startRedis();
  const open = () => new Redis(server.port, server.host);
  return {
    cluster: false,
    commands: () => ready(open()),
    subscriber: () => ready(open()),
    lose: async client => {
      await server.restart();
      await until('the client to reconnect after the restart', async () => (await client.ping()) === 'PONG');
    },
    stop: () => server.stop(),
  };
}

/** A 3-master Redis Cluster (no replicas). Its loss is FLUSHALL on every master. */
export async function startCluster(): Promise<RedisBackend> {
  const cluster: RedisClusterProcess = await startRedisCluster();
  return {
    cluster: true,
    commands: () => ready(new Cluster(cluster.nodes)),
    subscriber: () => ready(new Cluster(cluster.nodes, { shardedSubscribers: true })),
    lose: async client => {
      await Promise.all((client as Cluster).nodes('master').map(node => node.flushall()));
    },
    stop: () => cluster.stop(),
  };
}

async function ready<T extends RedisClient>(client: T): Promise<T> {
  // Refused connections while a server restarts are expected; ioredis would print them.
  client.on('error', () => {});
  await until('a Redis client to be ready', () => client.status === 'ready');
  return client;
}

async function quit(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  await client.quit().catch(() => client.disconnect());
}

let apps = 0;
/** Every fixture gets its own app name, so its keys and channels meet no other test's. */
const nextApp = () => `contract${++apps}`;

export function redisHistoryFixture(backend: () => RedisBackend): MakeHistory {
  return async () => {
    const appName = nextApp();
    const clients = [await backend().commands()];
    const [client] = clients as [RedisClient];
    const history = new RedisHistory({ client, appName });
    return {
      history,
      lose: async () => {
        await backend().lose(client);
        return history;
      },
      withPositionTtl: async ms => new RedisHistory({ client, appName, offsetTtlMs: ms }),
      // The channel a RedisBus with this app name listens on: `roomcast:<app>:room:<room>`.
      listen: async (channel, onPayload) => {
        const subscriber = await backend().subscriber();
        clients.push(subscriber);
        const name = `roomcast:${appName}:${channel}`;
        const deliver = (on: string, payload: string) => {
          if (on === name) onPayload(payload);
        };
        if (backend().cluster) {
          subscriber.on('smessage', deliver);
          await subscriber.ssubscribe(name);
        } else {
          subscriber.on('message', deliver);
          await subscriber.subscribe(name);
        }
        return () => quit(subscriber);
      },
      cleanup: async () => {
        await Promise.all(clients.map(quit));
      },
    };
  };
}

export function redisRoomStoreFixture(backend: () => RedisBackend): MakeRoomStore {
  return async () => {
    const appName = nextApp();
    const client = await backend().commands();
    // A live node gets a long TTL (a loaded machine may stall for seconds); sweeps run often.
    const live = { client, appName, nodeTtlMs: 60_000, heartbeatMs: 1000, sweepMs: 100 };
    const mortals: RedisRoomStore[] = [];
    return {
      store: new RedisRoomStore(live),
      peer: async () => new RedisRoomStore(live),
      mortalPeer: async () => {
        const store = new RedisRoomStore({
          client,
          appName,
          nodeTtlMs: 2000,
          heartbeatMs: 300,
          sweepMs: 100,
        });
        mortals.push(store);
        // Closing stops its heartbeat and leaves its members in Redis, as a SIGKILL would.
        return { store, die: () => store.close() };
      },
      cleanup: async () => {
        await Promise.all(mortals.map(store => store.close()));
        await quit(client);
      },
    };
  };
}

export function redisBusFixture(backend: () => RedisBackend): MakeBus {
  return async () => {
    const appName = nextApp();
    const clients: RedisClient[] = [];
    const open = async () => {
      const publisher = await backend().commands();
      const subscriber = await backend().subscriber();
      clients.push(publisher, subscriber);
      return new RedisBus({ publisher, subscriber, appName });
    };
    return {
      bus: await open(),
      peer: open,
      cleanup: async () => {
        await Promise.all(clients.map(quit));
      },
    };
  };
}
