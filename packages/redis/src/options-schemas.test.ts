import { checkOptions, ErrorCode } from '@roomcast/protocol';
import { Redis } from 'ioredis';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { RedisBusOptions } from './index';
import {
  connectRedis,
  type REDIS_BUS_OPTIONS_SCHEMA,
  REDIS_CONNECTION_SCHEMA,
  RedisBus,
  RedisHistory,
  RedisRoomStore,
} from './index';

const check = (connection: unknown) => () =>
  checkOptions('test', connection, REDIS_CONNECTION_SCHEMA, 'redis');

describe('Redis options schemas', () => {
  it('refuses { hots } before opening anything, naming the key it meant', async () => {
    expect(() => new RedisBus({ connection: { hots: '10.0.0.5' } as never })).toThrow(
      'RedisBus: unknown option "connection.hots"; did you mean "connection.host"?',
    );
    const refused = await connectRedis({ hots: '10.0.0.5' } as never).catch((error: unknown) => error);
    expect((refused as { code?: string }).code).toBe(ErrorCode.INVALID_OPTIONS);
    expect((refused as Error).message).toBe(
      'connectRedis: unknown option "connection.hots"; did you mean "connection.host"?',
    );
  });

  it('checks the options of the stores and the bus themselves, with every problem', () => {
    const client = new Redis({ lazyConnect: true });
    try {
      expect(() => new RedisRoomStore({ client, nodeTtl: 1000 } as never)).toThrow(
        'RedisRoomStore: unknown option "nodeTtl"; did you mean "nodeTtlMs"?',
      );
      expect(
        () =>
          new RedisBus({
            publisher: client,
            subscriber: client,
            maxPendingPublishes: '10',
            sharded: 1,
          } as never),
      ).toThrow(
        'RedisBus: 2 problems in the options:\n- maxPendingPublishes must be a number, got the string "10"\n- sharded must be true or false, got 1',
      );
    } finally {
      client.disconnect();
    }
  });

  it('refuses times that are no positive whole number of milliseconds, and a sharded that is no boolean', () => {
    const client = new Redis({ lazyConnect: true });
    try {
      expect(
        () => new RedisHistory({ client, offsetTtlMs: 0, idempotencyTtlMs: 1.5, sharded: 'yes' } as never),
      ).toThrow(
        'RedisHistory: 3 problems in the options:\n- offsetTtlMs must be a positive whole number of milliseconds, got 0\n- idempotencyTtlMs must be a positive whole number of milliseconds, got 1.5\n- sharded must be true or false, got the string "yes"',
      );
      expect(() => new RedisRoomStore({ client, nodeTtlMs: -1, heartbeatMs: 0, sweepMs: 2.5 })).toThrow(
        'RedisRoomStore: 3 problems in the options:\n- nodeTtlMs must be a positive whole number of milliseconds, got -1\n- heartbeatMs must be a positive whole number of milliseconds, got 0\n- sweepMs must be a positive whole number of milliseconds, got 2.5',
      );
    } finally {
      client.disconnect();
    }
  });

  it('accepts the three connection shapes, with ioredis options', () => {
    expect(
      check({ host: '127.0.0.1', port: 6379, password: 'p', db: 2, lazyConnect: true, tls: {} }),
    ).not.toThrow();
    expect(check({ url: 'redis://:p@127.0.0.1:6379/0', options: { connectionName: 'x' } })).not.toThrow();
    expect(
      check({ cluster: [{ host: '127.0.0.1', port: 7000 }], options: { scaleReads: 'slave' } }),
    ).not.toThrow();
    expect(check({ host: '127.0.0.1', port: '6379' })).toThrow(
      'redis.port must be a number, got the string "6379"',
    );
    expect(check('redis://x')).toThrow('redis must be an object, got the string "redis://x"');
  });

  it('has a schema key for every RedisBusOptions key', () => {
    expectTypeOf<keyof typeof REDIS_BUS_OPTIONS_SCHEMA.keys>().toEqualTypeOf<keyof RedisBusOptions>();
  });
});
