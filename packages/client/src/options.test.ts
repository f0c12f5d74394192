import { ErrorCode } from '@roomcast/protocol';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createClient } from './index';
import {
  type CLIENT_OPTIONS_SCHEMA,
  type ClientOptions,
  DEFAULT_RECONNECT,
  resolveClientOptions,
} from './options';

const url = 'ws://127.0.0.1:1/ws';

function thrown(options: unknown): TypeError & { code?: string; problems?: string[] } {
  try {
    createClient(options as ClientOptions);
  } catch (error) {
    return error as TypeError & { code?: string; problems?: string[] };
  }
  throw new Error('createClient accepted the options');
}

describe('createClient options', () => {
  it('names a misspelt option and the one it meant: createClient({ reconect })', () => {
    const error = thrown({ url, reconect: false });
    expect(error).toBeInstanceOf(TypeError);
    expect(error.code).toBe(ErrorCode.INVALID_OPTIONS);
    expect(error.message).toBe('createClient: unknown option "reconect"; did you mean "reconnect"?');
  });

  it('checks nested options, with their path and what they got', () => {
    expect(thrown({ url, reconnect: { maxDelay: 5 } }).message).toBe(
      'createClient: unknown option "reconnect.maxDelay"; did you mean "reconnect.maxDelayMs"?',
    );
    expect(thrown({ url, requestTimeoutMs: '500' }).message).toBe(
      'createClient: requestTimeoutMs must be a number, got the string "500"',
    );
    expect(thrown({ url, reconnect: { factor: 0 } }).message).toBe(
      'createClient: reconnect.factor must be a positive number, got 0',
    );
    expect(thrown({}).message).toBe('createClient: url must be a string or an array, got undefined');
  });

  it('reports every problem at once', () => {
    const error = thrown({ url, reconect: false, offlineQueue: { max: -1 }, codec: 'cbor' });
    expect(error.problems).toEqual([
      'unknown option "reconect"; did you mean "reconnect"?',
      'offlineQueue.max must be a whole number >= 0, got -1',
      'codec must be "json" or "msgpack", got the string "cbor"',
    ]);
    expect(error.message).toMatch(/^createClient: 3 problems in the options:\n- unknown option "reconect"/);
  });

  it('accepts every option, used as documented', () => {
    const client = createClient({
      url,
      getToken: () => 'token',
      reconnect: {
        initialDelayMs: 500,
        maxDelayMs: 10_000,
        factor: 2,
        maxAttempts: Number.POSITIVE_INFINITY,
      },
      requestTimeoutMs: 5_000,
      offlineQueue: { max: 50 },
      heartbeatTimeoutMs: 45_000,
      codec: 'msgpack',
    });
    client.close();
    createClient({ url, reconnect: false }).close();
  });

  it('takes an option set to undefined as its default', () => {
    expect(
      resolveClientOptions({ url, WebSocket: class {}, reconnect: { factor: undefined } } as never).reconnect,
    ).toEqual(DEFAULT_RECONNECT);
  });

  it('has a schema key for every ClientOptions key, and no other', () => {
    // objectOption<ClientOptions>({...}) already fails typecheck on a missing or extra key.
    expectTypeOf<keyof typeof CLIENT_OPTIONS_SCHEMA.keys>().toEqualTypeOf<keyof ClientOptions>();
  });
});
