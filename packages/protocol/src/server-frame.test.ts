import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from './codes';
import { decodeServerFrame, type ServerFrameKind } from './server-frame';

vi.setConfig({ testTimeout: 120_000 });

const name = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
const text = fc.string({ maxLength: 40 });
const userId = fc.oneof(text, fc.integer());
const requestId = fc.oneof(fc.string({ maxLength: 64 }), fc.maxSafeInteger());
const offset = fc.nat({ max: Number.MAX_SAFE_INTEGER });
const json = fc.jsonValue({ maxDepth: 3 });
const member = fc.record({
  clientId: text,
  userId: fc.option(userId, { nil: null }),
  username: fc.option(text, { nil: null }),
});
/** Fixed pairs are checked by their own kind; a push with one of them is not a plain push. */
const FIXED_PAIRS = new Set([
  'system.connected',
  'auth.authenticated',
  'system.roomInterrupted',
  'system.roomNotRecovered',
  'presence.join',
  'presence.leave',
  'presence.diff',
  'presence.count',
]);

const errorBody = fc.record(
  {
    code: fc.oneof(fc.constantFrom(...Object.values(ErrorCode)), name),
    message: text,
    issues: fc.array(fc.record({ message: text, path: fc.array(fc.oneof(text, fc.nat())) }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: ['code', 'message'] },
);

/** Every kind of frame the server sends, valid, with the kind it must decode as. */
const validFrames: fc.Arbitrary<{ kind: ServerFrameKind; frame: object }> = fc.oneof(
  fc
    .record(
      { type: name, action: name, response: json, id: requestId },
      { requiredKeys: ['type', 'action', 'response'] },
    )
    .map(frame => ({ kind: 'reply' as const, frame })),
  fc
    .record(
      { type: name, action: name, error: errorBody, id: requestId },
      { requiredKeys: ['type', 'action', 'error'] },
    )
    .map(frame => ({ kind: 'error' as const, frame })),
  fc
    .record({ error: errorBody, id: requestId }, { requiredKeys: ['error'] })
    .map(rest => ({ kind: 'error' as const, frame: { type: 'error', action: 'message', ...rest } })),
  fc
    .record({ clientId: text, nodeId: text })
    .map(data => ({ kind: 'connected' as const, frame: { type: 'system', action: 'connected', data } })),
  fc.record({ userId, message: text }).map(data => ({
    kind: 'authenticated' as const,
    frame: { type: 'auth', action: 'authenticated', data },
  })),
  fc.record({ roomName: text }).map(data => ({
    kind: 'roomInterrupted' as const,
    frame: { type: 'system', action: 'roomInterrupted', data },
  })),
  fc.record({ roomName: text, offset, epoch: text }).map(data => ({
    kind: 'roomNotRecovered' as const,
    frame: { type: 'system', action: 'roomNotRecovered', data },
  })),
  fc
    .record({
      action: fc.constantFrom('join', 'leave'),
      room: text,
      data: fc.record({
        roomName: text,
        clientId: text,
        userId: fc.option(userId, { nil: null }),
        username: fc.option(text, { nil: null }),
      }),
    })
    .map(frame => ({ kind: 'presence' as const, frame: { type: 'presence', ...frame } })),
  fc
    .record({
      roomName: text,
      joins: fc.array(member, { maxLength: 3 }),
      leaves: fc.array(member, { maxLength: 3 }),
    })
    .map(data => ({ kind: 'presenceDiff' as const, frame: { type: 'presence', action: 'diff', data } })),
  fc
    .record({ roomName: text, count: fc.nat() })
    .map(data => ({ kind: 'presenceCount' as const, frame: { type: 'presence', action: 'count', data } })),
  fc
    .record(
      { type: name, action: name, data: json, room: text, offset },
      { requiredKeys: ['type', 'action'] },
    )
    .filter(frame => !FIXED_PAIRS.has(`${frame.type}.${frame.action}`))
    .map(frame => ({ kind: 'push' as const, frame })),
);

describe('decodeServerFrame', () => {
  it('round-trips every valid frame kind: same kind, same frame', () => {
    fc.assert(
      fc.property(validFrames, ({ kind, frame }) => {
        const wire = JSON.stringify(frame);
        const result = decodeServerFrame(wire);
        expect(result).toEqual({ ok: true, kind, frame: JSON.parse(wire) });
      }),
      { numRuns: 2_000 },
    );
  });

  it('never throws on arbitrary text, JSON, or a valid frame with one field replaced', () => {
    const broken = fc
      .tuple(
        validFrames,
        fc.constantFrom('type', 'action', 'id', 'error', 'response', 'data', 'room', 'offset'),
        json,
      )
      .map(([{ frame }, key, value]) => JSON.stringify({ ...frame, [key]: value }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 256 }),
          json.map(v => JSON.stringify(v)),
          broken,
        ),
        wire => {
          const result = decodeServerFrame(wire);
          // Whatever it accepts is at least an envelope, passed on exactly as sent.
          if (result.ok) {
            expect(typeof result.frame.type).toBe('string');
            expect(result.frame).toEqual(JSON.parse(wire));
          } else expect(result.error.message).toBeTypeOf('string');
        },
      ),
      { numRuns: 3_000 },
    );
  });

  it.each([
    ['not JSON', '{"type":', 'frame'],
    ['an array', '[1,2]', 'frame'],
    ['null', 'null', 'frame'],
    ['no action', '{"type":"chat"}', 'frame'],
    ['a numeric type', '{"type":1,"action":"a"}', 'frame'],
    ['an error that is a string', '{"type":"a","action":"b","error":"boom"}', 'error'],
    ['an error without message', '{"type":"a","action":"b","error":{"code":"X"}}', 'error'],
    [
      'error issues not a list',
      '{"type":"a","action":"b","error":{"code":"X","message":"m","issues":1}}',
      'error',
    ],
    [
      'both response and error',
      '{"type":"a","action":"b","response":1,"error":{"code":"X","message":"m"}}',
      'error',
    ],
    ['a reply with an object id', '{"type":"a","action":"b","response":1,"id":{}}', 'reply'],
    ['a reply with a fractional id', '{"type":"a","action":"b","response":1,"id":1.5}', 'reply'],
    [
      'connected without nodeId',
      '{"type":"system","action":"connected","data":{"clientId":"c"}}',
      'connected',
    ],
    ['connected without data', '{"type":"system","action":"connected"}', 'connected'],
    [
      'authenticated with a null user',
      '{"type":"auth","action":"authenticated","data":{"userId":null,"message":"m"}}',
      'authenticated',
    ],
    [
      'roomInterrupted without a room',
      '{"type":"system","action":"roomInterrupted","data":{}}',
      'roomInterrupted',
    ],
    [
      'roomNotRecovered with a negative offset',
      '{"type":"system","action":"roomNotRecovered","data":{"roomName":"r","offset":-1,"epoch":"e"}}',
      'roomNotRecovered',
    ],
    ['presence without clientId', '{"type":"presence","action":"join","data":{"roomName":"r"}}', 'presence'],
    [
      'diff with a bad member',
      '{"type":"presence","action":"diff","data":{"roomName":"r","joins":[{}],"leaves":[]}}',
      'presenceDiff',
    ],
    [
      'count that is no count',
      '{"type":"presence","action":"count","data":{"roomName":"r","count":-1}}',
      'presenceCount',
    ],
    ['a push with a numeric room', '{"type":"chat","action":"m","room":1}', 'push'],
    ['a push with a string offset', '{"type":"chat","action":"m","room":"r","offset":"3"}', 'push'],
  ])('refuses %s, naming the kind', (_, wire, kind) => {
    const result = decodeServerFrame(wire);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.kind).toBe(kind);
  });

  it('keeps a newer server’s unknown error code, and other system actions as pushes', () => {
    expect(
      decodeServerFrame('{"type":"a","action":"b","error":{"code":"FUTURE","message":"m"},"id":3}'),
    ).toMatchObject({
      ok: true,
      kind: 'error',
    });
    expect(decodeServerFrame('{"type":"system","action":"maintenance","data":{"at":"noon"}}')).toMatchObject({
      ok: true,
      kind: 'push',
    });
  });
});

describe('decodeServerFrame error messages', () => {
  it.each([
    ['{"type":', 'not JSON'],
    ['[1]', 'not an object with string "type" and "action"'],
    ['{"type":"a","action":"b","error":{"code":"X"}}', '"error" is not { code, message, issues? }'],
    [
      '{"type":"a","action":"b","response":1,"error":{"code":"X","message":"m"}}',
      'both "response" and "error"',
    ],
    ['{"type":"a","action":"b","error":{"code":"X","message":"m"},"id":1.5}', '"id" is not a request id'],
    ['{"type":"a","action":"b","response":1,"id":{}}', '"id" is not a request id'],
    [
      '{"type":"system","action":"connected","data":{"clientId":"c"}}',
      'system.connected needs data { clientId, nodeId }',
    ],
    ['{"type":"chat","action":"m","room":1}', '"room" is not a string'],
    ['{"type":"chat","action":"m","room":"r","offset":"3"}', '"offset" is not an offset'],
  ])('%s: %s', (wire, message) => {
    const result = decodeServerFrame(wire);
    expect(result.ok ? undefined : result.error.message).toBe(message);
  });

  it('accepts an error reply without an id, with a request id, and a member whose user and name are null', () => {
    expect(
      decodeServerFrame('{"type":"a","action":"b","error":{"code":"X","message":"m"},"id":"r1"}').ok,
    ).toBe(true);
    const join = (member: string) =>
      decodeServerFrame(`{"type":"presence","action":"join","data":{"roomName":"r",${member}}}`).ok;
    expect(join('"clientId":"c","userId":null,"username":null')).toBe(true);
    expect(join('"clientId":"c","userId":{},"username":null')).toBe(false);
    expect(join('"clientId":"c","userId":"u","username":7')).toBe(false);
  });
});
