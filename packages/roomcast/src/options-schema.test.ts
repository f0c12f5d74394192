import type { Server } from 'node:http';
import { ErrorCode } from '@roomcast/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { WebApplicationOptions } from './options';
import type { WEB_APPLICATION_OPTIONS_SCHEMA } from './options-schema';
import { WebApplication } from './web-application';

type ConfigError = TypeError & { code?: string; problems?: string[] };

function thrown(options: unknown): ConfigError {
  try {
    new WebApplication(options as WebApplicationOptions);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('WebApplication accepted the options');
}

describe('WebApplication options: every mistake named, with its full path', () => {
  it('rooms.clientCanJoinMultipleRoom: an unknown nested key, with the one it meant', () => {
    const error = thrown({ name: 'a', webSocket: { rooms: { clientCanJoinMultipleRoom: false } } });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      'WebApplication: unknown option "webSocket.rooms.clientCanJoinMultipleRoom"; did you mean "webSocket.rooms.clientCanJoinMultipleRooms"?',
    );
  });

  it('limits.maxPayloadBytes: the real name is maxPayload', () => {
    expect(thrown({ name: 'a', websocket: { limits: { maxPayloadBytes: 1024 } } }).message).toBe(
      'WebApplication: unknown option "websocket.limits.maxPayloadBytes"; did you mean "websocket.limits.maxPayload"?',
    );
  });

  it('redis: { hots } is refused instead of connecting to localhost', () => {
    const error = thrown({ name: 'a', redis: { hots: 'redis.internal', port: 6379 } });
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe('WebApplication: unknown option "redis.hots"; did you mean "redis.host"?');
    expect(thrown({ name: 'a', redis: { url: 'redis://x', option: {} } }).message).toBe(
      'WebApplication: unknown option "redis.option"; did you mean "redis.options"?',
    );
    expect(thrown({ name: 'a', redis: { cluster: [{ host: 'a', prot: 1 }] } }).problems).toEqual([
      'unknown option "redis.cluster[0].prot"; did you mean "redis.cluster[0].port"?',
      'redis.cluster[0].port must be a whole number from 1 to 65535, got undefined',
    ]);
  });

  it('webserver.port as a string: names the path and what it got', () => {
    const error = thrown({ name: 'a', webserver: { port: '3000' } });
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe('WebApplication: webserver.port must be a number, got the string "3000"');
    expect(thrown({ name: 'a', webserver: { port: 70_000 } }).message).toBe(
      'WebApplication: webserver.port must be a whole number from 0 to 65535, got 70000',
    );
    expect(thrown({ webserver: {} }).message).toBe('WebApplication: name must be a string, got undefined');
    expect(thrown({ name: 'a', websocket: { allowedOrigins: 'https://a.example' } }).message).toBe(
      'WebApplication: websocket.allowedOrigins must be an array, got the string "https://a.example"',
    );
  });

  it('checks a client config against the client options', () => {
    expect(
      thrown({ name: 'a', webSocket: { type: 'client', url: 'ws://x/ws', reconect: false } }).message,
    ).toBe('WebApplication: unknown option "webSocket.reconect"; did you mean "webSocket.reconnect"?');
  });

  it('checks the server options it passes through: webSocket.writeDelayMs', () => {
    expect(thrown({ name: 'a', webSocket: { writeDelayMs: 5_000 } }).message).toBe(
      'WebApplication: webSocket.writeDelayMs must be a number of milliseconds from 0 to 1000 (0: no delay), got 5000',
    );
  });

  it('reports every problem at once, not only the first', () => {
    const error = thrown({
      name: 'a',
      webserver: { port: '3000' },
      webSocket: { rooms: { clientCanJoinMultipleRoom: true }, heartbeat: { intervalMs: -1 } },
      redis: { hots: 'x' },
    });
    expect(error.problems).toEqual([
      'webserver.port must be a number, got the string "3000"',
      'unknown option "webSocket.rooms.clientCanJoinMultipleRoom"; did you mean "webSocket.rooms.clientCanJoinMultipleRooms"?',
      'webSocket.heartbeat.intervalMs must be a positive number, got -1',
      'unknown option "redis.hots"; did you mean "redis.host"?',
    ]);
    expect(error.message.split('\n')[0]).toBe('WebApplication: 4 problems in the options:');
  });

  it('accepts the configs of the guide and the README', () => {
    const configs: WebApplicationOptions[] = [
      {
        name: 'my-app',
        webserver: { port: 3000 },
        websocket: { enabled: true, type: 'server', url: 'ws://localhost:3000/ws' },
        redis: { host: '127.0.0.1', port: 6379 },
      },
      {
        name: 'guide',
        auth: { jwtSecretKey: 'a-secret-of-at-least-32-characters!!' },
        performanceMonitoring: { enabled: true },
        webSocket: {
          enabled: true,
          type: 'server',
          host: '0.0.0.0',
          url: 'ws://localhost:3000/ws',
          controllersDirectory: './src/websocket/controllers',
          routes: [{ type: 'chat', action: 'send', controllerName: 'chat' }],
          debug: { printRoutes: true },
          rooms: {
            clientCanJoinMultipleRooms: true,
            patterns: [{ match: 'chat:*', presence: true, history: { size: 100, ttlMs: 3_600_000 } }],
          },
          disconnectInactiveClients: {
            enabled: true,
            inactiveTime: 300000,
            intervalCheckTime: 60000,
            log: false,
          },
          events: { onServerStarted: () => {}, onConnected: () => {}, onError: () => {} },
          subscriberHandlers: {
            directory: './subscribers',
            handlers: [{ channels: ['*'], handle: () => {} }],
          },
          limits: { maxPayload: 1024, rateLimit: false, slowConsumer: 'drop' },
          heartbeat: false,
          trustProxy: 1,
        },
      },
      { name: 'url', redis: { url: 'redis://127.0.0.1:6379', options: { lazyConnect: true } } },
      { name: 'cluster', redis: { cluster: [{ host: '127.0.0.1', port: 7000 }], password: 'p' } },
      {
        name: 'client',
        webSocket: { type: 'client', url: 'ws://127.0.0.1:3000/ws', reconnect: { maxAttempts: 3 } },
      },
      { name: 'attached', webserver: { server: { on() {}, listeners() {} } as unknown as Server } },
      { name: 'quiet', logger: false, handleSignals: false, cluster: { workers: 2 } },
    ];
    for (const config of configs) expect(() => new WebApplication(config)).not.toThrow();
  });

  it('has a schema key for every WebApplicationOptions key, and no other', () => {
    expectTypeOf<keyof typeof WEB_APPLICATION_OPTIONS_SCHEMA.keys>().toEqualTypeOf<
      keyof WebApplicationOptions
    >();
  });
});
