/**
 * The Redis a cross-node suite runs against: one `redis-server` or a 3-master Cluster, started on
 * free loopback ports by the redis package's test support and stopped by the suite.
 */

import { type RedisProcess, startRedis, startRedisCluster } from '@roomcast/test-support/redis-process';
import { Redis } from 'ioredis';
import type { NodeConfig } from './roomcast-node';

export interface RedisTarget {
  readonly connection: NodeConfig['redis'];
  /**
   * A room whose bus channel lives on the same server as `room`'s. Redis pushes one connection's
   * publishes to a subscriber in order only within one server, so a marker in this room, sent
   * after traffic for `room`, proves that traffic would have arrived first.
   */
  roomBeside(room: string, appName: string): Promise<string>;
  /** The server holding a room's bus channel, to SIGKILL and restart it. */
  serverOf(room: string, appName: string): Promise<RedisProcess>;
  stop(): Promise<void>;
}

export interface RedisTargetKind {
  name: string;
  start(): Promise<RedisTarget>;
}

export const ONE_REDIS: RedisTargetKind = {
  name: 'one redis-server',
  start: async () => {
    const redis = await startRedis();
    return {
      connection: { host: redis.host, port: redis.port },
      roomBeside: async room => `${room}-beside`,
      serverOf: async () => redis,
      stop: () => redis.stop(),
    };
  },
};

export const REDIS_CLUSTER: RedisTargetKind = {
  name: 'a 3-master Redis Cluster',
  start: async () => {
    const cluster = await startRedisCluster();
    const first = cluster.nodes[0]!;
    const channel = (room: string, appName: string) => `roomcast:${appName}:room:${room}`;
    /** Asks the cluster which master's port serves `room`'s channel. */
    const portOf = async (client: Redis, room: string, appName: string): Promise<number> => {
      const slot = (await client.cluster('KEYSLOT', channel(room, appName))) as number;
      const ranges = await client.cluster('SLOTS');
      const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
      if (!master) throw new Error(`no master owns slot ${slot}`);
      return master[1];
    };
    const ask = async <T>(question: (client: Redis) => Promise<T>): Promise<T> => {
      const client = new Redis(first.port, first.host);
      try {
        return await question(client);
      } finally {
        client.disconnect();
      }
    };
    return {
      connection: { cluster: cluster.nodes },
      roomBeside: (room, appName) =>
        ask(async client => {
          const wanted = await portOf(client, room, appName);
          // Each candidate lands on the wanted master with odds 1/3: 60 tries never all miss in practice.
          for (let i = 0; i < 60; i++) {
            const candidate = `${room}-beside-${i}`;
            if ((await portOf(client, candidate, appName)) === wanted) return candidate;
          }
          throw new Error(`no room beside ${room} found`);
        }),
      serverOf: (room, appName) =>
        ask(async client => {
          const port = await portOf(client, room, appName);
          const server = cluster.processes.find(p => p.port === port);
          if (!server) throw new Error(`no process listens on ${port}`);
          return server;
        }),
      stop: () => cluster.stop(),
    };
  },
};
