/**
 * The Redis a cross-node suite runs against: one `redis-server` or a 3-master Cluster, started on
 * free loopback ports by the redis package's test support and stopped by the suite.
 */
import { Redis } from 'ioredis';
import {
  type RedisProcess,
  startRedis,
  startRedisCluster,
} from '../../../redis/src/test-support/redis-process';
import type { NodeConfig } from './roomcast-node';

export interface RedisTarget {
  readonly connection: NodeConfig['redis'];
  /**
   * A room whose bus channel lives on the same server as `room`'s. Redis pushes one connection's
   * publishes to a subscriber in order only within one server, so a marker in this room, sent
   * after traffic for `room`, proves that traffic would have arrived first.
   */
  roomBeside(room: string, appName: string): Promise<string>;
  stop(): Promise<void>;
}

export interface RedisTargetKind {
  name: string;
  start(): Promise<RedisTarget>;
}

export const ONE_REDIS: RedisTargetKind = {
  name: 'one redis-server',
  start: async () => {
    const redis: RedisProcess = await startRedis();
    return {
      connection: { host: redis.host, port: redis.port },
      roomBeside: async room => `${room}-beside`,
      stop: () => redis.stop(),
    };
  },
};

export const REDIS_CLUSTER: RedisTargetKind = {
  name: 'a 3-master Redis Cluster',
  start: async () => {
    const cluster = await startRedisCluster();
    const first = cluster.nodes[0]!;
    const portOf = async (client: Redis, key: string): Promise<number> => {
      const slot = (await client.cluster('KEYSLOT', key)) as number;
      const ranges = await client.cluster('SLOTS');
      const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
      if (!master) throw new Error(`no master owns slot ${slot}`);
      return master[1];
    };
    return {
      connection: { cluster: cluster.nodes },
      roomBeside: async (room, appName) => {
        const client = new Redis(first.port, first.host);
        try {
          const channel = (name: string) => `roomcast:${appName}:room:${name}`;
          const wanted = await portOf(client, channel(room));
          // Each candidate lands on the wanted master with odds 1/3: 60 tries never all miss in practice.
          for (let i = 0; i < 60; i++) {
            const candidate = `${room}-beside-${i}`;
            if ((await portOf(client, channel(candidate))) === wanted) return candidate;
          }
          throw new Error(`no room beside ${room} found`);
        } finally {
          client.disconnect();
        }
      },
      stop: () => cluster.stop(),
    };
  },
};
