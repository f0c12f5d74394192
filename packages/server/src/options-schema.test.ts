import { DEFAULT_LIMITS, ErrorCode } from '@roomcast/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type WEBSOCKET_SERVER_OPTIONS_SCHEMA, WebSocketServer, type WebSocketServerOptions } from './index';
import { DEFAULT_HEARTBEAT, resolveOptions } from './options';
import type { GUIDE_ENDPOINT_OPTION_TYPES } from './options-schema';

function thrown(options: unknown): TypeError & { code?: string; problems?: string[] } {
  try {
    new WebSocketServer(options as WebSocketServerOptions);
  } catch (error) {
    return error as TypeError & { code?: string; problems?: string[] };
  }
  throw new Error('WebSocketServer accepted the options');
}

describe('WebSocketServer options schema', () => {
  it('rooms.clientCanJoinMultipleRoom: unknown at depth, with the key it meant', () => {
    const error = thrown({ rooms: { clientCanJoinMultipleRoom: false } });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(
      'WebSocketServer: unknown option "rooms.clientCanJoinMultipleRoom"; did you mean "rooms.clientCanJoinMultipleRooms"?',
    );
  });

  it('limits.maxPayloadBytes: suggests maxPayload', () => {
    expect(thrown({ limits: { maxPayloadBytes: 1024 } }).message).toBe(
      'WebSocketServer: unknown option "limits.maxPayloadBytes"; did you mean "limits.maxPayload"?',
    );
  });

  it('names wrong types with their path, in arrays too, and every problem at once', () => {
    const error = thrown({
      heartbeat: { intervalMs: '30s' },
      limits: { rateLimit: { perSecnd: 5 }, slowConsumer: 'kill' },
      rooms: { patterns: [{ match: 'chat:*', histroy: { size: 10, ttlMs: 1 } }] },
      events: { onConected: () => {} },
      zzz: 1,
    });
    expect(error.problems).toEqual([
      'unknown option "zzz"; known: name, routes, controllersDirectory, events, rooms, limits, writeDelayMs, heartbeat, disconnectInactiveClients, allowedOrigins, bus, roomStore, history, authenticator, subscriberHandlers, subscriberContext, logger, debug, nodeId, getClientIp, trustProxy, handshake, drainMs, enabled, type, host, url, port, path',
      'unknown option "events.onConected"; did you mean "events.onConnected"?',
      'unknown option "rooms.patterns[0].histroy"; did you mean "rooms.patterns[0].history"?',
      'limits.slowConsumer must be "close" or "drop", got the string "kill"',
      'unknown option "limits.rateLimit.perSecnd"; did you mean "limits.rateLimit.perSecond"?',
      'heartbeat.intervalMs must be a number, got the string "30s"',
    ]);
    expect(thrown({ nope: 1 }).message).toBe('WebSocketServer: unknown option "nope"; did you mean "name"?');
    expect(thrown({ heartbeat: true }).message).toBe(
      'WebSocketServer: heartbeat must be false or an object, got true',
    );
  });

  it('accepts the guide config block and every documented shape', () => {
    const servers = [
      new WebSocketServer(),
      new WebSocketServer({
        enabled: true,
        type: 'server',
        host: '0.0.0.0',
        url: 'ws://localhost:3000/ws',
        routes: [{ type: 'chat', action: 'send', handler: () => 1 }],
        debug: { printRoutes: true },
        rooms: {
          clientCanJoinMultipleRooms: true,
          maxRoomsPerClient: 10,
          patterns: [{ match: /^dm:/, presence: true }],
        },
        disconnectInactiveClients: {
          enabled: true,
          inactiveTime: 300000,
          intervalCheckTime: 60000,
          log: false,
        },
        limits: { maxPayload: 1024, rateLimit: { perSecond: 5 }, maxConnectionsPerIp: 10 },
        heartbeat: { intervalMs: 1000, timeoutMs: 500 },
        allowedOrigins: ['https://app.example.com'],
        trustProxy: ['10.0.0.0/8'],
        handshake: { timeoutMs: 1000 },
        subscriberHandlers: { handlers: [{ channels: ['*'], handle: () => {} }] },
      } as WebSocketServerOptions),
      new WebSocketServer({ heartbeat: false, limits: { rateLimit: false }, trustProxy: 1 }),
    ];
    expect(servers).toHaveLength(3);
  });

  it.each([
    [-1, 'writeDelayMs must be a number of milliseconds from 0 to 1000 (0: no delay), got -1'],
    [1_001, 'writeDelayMs must be a number of milliseconds from 0 to 1000 (0: no delay), got 1001'],
    [
      Number.POSITIVE_INFINITY,
      'writeDelayMs must be a number of milliseconds from 0 to 1000 (0: no delay), got Infinity',
    ],
    [Number.NaN, 'writeDelayMs must be a number, got NaN'],
    ['10', 'writeDelayMs must be a number, got the string "10"'],
  ])('writeDelayMs %s: refused with what it takes', (writeDelayMs, message) => {
    const error = thrown({ writeDelayMs });
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe(`WebSocketServer: ${message}`);
  });

  it('writeDelayMs: 0 to 1000 ms, fractions too; 0 when unset', () => {
    for (const writeDelayMs of [0, 2.5, 10, 1_000]) {
      expect(resolveOptions({ writeDelayMs }).writeDelayMs).toBe(writeDelayMs);
    }
    expect(resolveOptions({}).writeDelayMs).toBe(0);
    expect(resolveOptions({ writeDelayMs: undefined } as never).writeDelayMs).toBe(0);
  });

  it('takes an option set to undefined as its default', () => {
    const resolved = resolveOptions({
      limits: { maxPayload: undefined, rateLimit: { burst: undefined } },
      heartbeat: { intervalMs: undefined },
    } as never);
    expect(resolved.limits.maxPayload).toBe(DEFAULT_LIMITS.maxPayload);
    expect(resolved.limits.rateLimit).toEqual(DEFAULT_LIMITS.rateLimit);
    expect(resolved.heartbeat).toEqual(DEFAULT_HEARTBEAT);
  });

  it('has a schema key for every WebSocketServerOptions key, plus the guide endpoint keys', () => {
    type Keys = keyof typeof WEBSOCKET_SERVER_OPTIONS_SCHEMA.keys;
    expectTypeOf<Keys>().toEqualTypeOf<
      keyof WebSocketServerOptions | keyof typeof GUIDE_ENDPOINT_OPTION_TYPES
    >();
  });
});
