import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decode, encode, utf8Length } from './codec';
import { hasProtoKey, jsonCodec, PROTO_KEY_MESSAGE } from './codecs/codec';
import { msgpackCodec } from './codecs/msgpack-codec';
import { ErrorCode } from './codes';
import type { ClientFrame } from './frames';

// At least 1,000 generated cases per property; generous timeouts because CI machines are shared.
const RUNS = { numRuns: 1_000 };
vi.setConfig({ testTimeout: 120_000 });
const name = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
const requestId = fc.oneof(fc.string({ maxLength: 64 }), fc.maxSafeInteger(), fc.integer());
const clientFrame: fc.Arbitrary<ClientFrame> = fc.record(
  { type: name, action: name, data: fc.jsonValue(), id: requestId },
  { requiredKeys: ['type', 'action'] },
);

function codeOf(raw: unknown, options = {}) {
  const result = decode(raw, options);
  return result.ok ? 'ok' : result.error.code;
}

describe('decode', () => {
  it('reads a minimal frame', () => {
    expect(decode('{"type":"chat","action":"send"}')).toEqual({
      ok: true,
      frame: { type: 'chat', action: 'send' },
    });
  });

  it('keeps data and id', () => {
    const result = decode(JSON.stringify({ type: 'chat', action: 'send', data: { text: 'hi' }, id: 7 }));
    expect(result).toEqual({
      ok: true,
      frame: { type: 'chat', action: 'send', data: { text: 'hi' }, id: 7 },
    });
  });

  it('drops unknown top-level keys', () => {
    const result = decode('{"type":"a","action":"b","userId":"admin"}');
    expect(result).toEqual({ ok: true, frame: { type: 'a', action: 'b' } });
  });

  it('reads UTF-8 bytes, an ArrayBuffer and fragmented buffers', () => {
    const text = '{"type":"chat","action":"send","data":"héllo ✓"}';
    const bytes = new TextEncoder().encode(text);
    expect(decode(bytes)).toMatchObject({ ok: true, frame: { data: 'héllo ✓' } });
    expect(decode(bytes.buffer)).toMatchObject({ ok: true });
    expect(decode([bytes.subarray(0, 10), bytes.subarray(10)])).toMatchObject({ ok: true });
  });

  it.each([
    ['not JSON', 'hello'],
    ['truncated JSON', '{"type":"a"'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"x"'],
    ['JSON null', 'null'],
    ['missing type', '{"action":"b"}'],
    ['missing action', '{"type":"a"}'],
    ['empty type', '{"type":"","action":"b"}'],
    ['type with a space', '{"type":"a b","action":"b"}'],
    ['type over 64 characters', JSON.stringify({ type: 'a'.repeat(65), action: 'b' })],
    ['numeric action', '{"type":"a","action":3}'],
    ['id over 64 characters', JSON.stringify({ type: 'a', action: 'b', id: 'x'.repeat(65) })],
    ['fractional id', '{"type":"a","action":"b","id":1.5}'],
    ['object id', '{"type":"a","action":"b","id":{}}'],
    ['unsafe integer id', '{"type":"a","action":"b","id":9007199254740993}'],
  ])('refuses %s with INVALID_MESSAGE', (_, raw) => {
    expect(codeOf(raw)).toBe(ErrorCode.INVALID_MESSAGE);
  });

  it('refuses invalid UTF-8 bytes with INVALID_MESSAGE', () => {
    expect(codeOf(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))).toBe(ErrorCode.INVALID_MESSAGE);
  });

  it('refuses binary frames with INVALID_MESSAGE, keeping the address it can read', () => {
    const bytes = new TextEncoder().encode('{"type":"a","action":"b"}');
    expect(codeOf(bytes, { binary: true })).toBe(ErrorCode.INVALID_MESSAGE);
    const request = new TextEncoder().encode('{"type":"a","action":"b c","id":7}');
    expect(decode(request, { binary: true })).toMatchObject({ ok: false, error: { type: 'a', id: 7 } });
    expect(decode(new Uint8Array([0xff]), { binary: true })).toEqual({
      ok: false,
      error: { code: ErrorCode.INVALID_MESSAGE, message: expect.stringContaining('Binary') },
    });
  });

  it('refuses values that are neither text nor bytes', () => {
    for (const raw of [undefined, null, 42, {}, [1, 2]]) expect(codeOf(raw)).toBe(ErrorCode.INVALID_MESSAGE);
  });

  it('refuses frames over maxPayload with PAYLOAD_TOO_LARGE, counting UTF-8 bytes', () => {
    const frame = JSON.stringify({ type: 'a', action: 'b', data: 'é'.repeat(60) });
    expect(codeOf(frame, { maxPayload: 100 })).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect(codeOf(new TextEncoder().encode(frame), { maxPayload: 100 })).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    expect(codeOf(frame, { maxPayload: 200 })).toBe('ok');
  });

  it('keeps the readable address of a refused frame so the reply can be matched', () => {
    const result = decode(
      '{"type":"chat","action":"send","id":"r1","data":1,"x":[]}'.replace('"send"', '"se nd"'),
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: ErrorCode.INVALID_MESSAGE,
        message: expect.stringContaining('action'),
        type: 'chat',
        id: 'r1',
      },
    });
  });

  it('never throws on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 256 }), raw => {
        expect(() => decode(raw)).not.toThrow();
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary byte arrays, binary or not', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.boolean(), (raw, binary) => {
        expect(() => decode(raw, { binary })).not.toThrow();
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary JSON, and answers every non-frame with INVALID_MESSAGE', () => {
    fc.assert(
      fc.property(fc.jsonValue(), value => {
        const result = decode(JSON.stringify(value));
        if (!result.ok) expect(result.error.code).toBe(ErrorCode.INVALID_MESSAGE);
      }),
      RUNS,
    );
  });

  it('round-trips every valid frame through encode', () => {
    fc.assert(
      fc.property(clientFrame, frame => {
        const result = decode(encode(frame));
        // A __proto__ key anywhere is refused (as MessagePack refuses it); everything else round-trips.
        if (hasProtoKey(frame))
          expect(result).toMatchObject({ ok: false, error: { message: PROTO_KEY_MESSAGE } });
        else expect(result).toEqual({ ok: true, frame: JSON.parse(JSON.stringify(frame)) });
      }),
      RUNS,
    );
  });

  it('maps each malformed shape to INVALID_MESSAGE', () => {
    const badName = fc.oneof(
      fc.constant(undefined),
      fc.constant(''),
      fc.string({ minLength: 65, maxLength: 80 }),
      fc.string().filter(s => /[^A-Za-z0-9_.:-]/.test(s)),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const badFrame = fc.oneof(
      fc.record({ type: badName, action: name }),
      fc.record({ type: name, action: badName }),
      fc.record({
        type: name,
        action: name,
        id: fc.oneof(fc.double({ noInteger: true }), fc.constant([]), fc.string({ minLength: 65 })),
      }),
    );
    fc.assert(
      fc.property(badFrame, frame => {
        expect(codeOf(JSON.stringify(frame))).toBe(ErrorCode.INVALID_MESSAGE);
      }),
      RUNS,
    );
  });
});

describe('decode messages and boundaries', () => {
  const messageOf = (raw: unknown, options = {}) => {
    const result = decode(raw, options);
    return result.ok ? 'ok' : result.error.message;
  };

  it('names what is wrong with a frame, field by field', () => {
    expect(messageOf(42)).toBe('Message must be text or bytes');
    expect(messageOf([new Uint8Array([123]), 'x'])).toBe('Message must be text or bytes');
    expect(messageOf(new Uint8Array([0xff]))).toBe('Message is not valid UTF-8');
    expect(messageOf('{"type":')).toBe('Message is not valid JSON');
    for (const notAnObject of ['42', '"text"', 'true', 'null', '[]']) {
      expect([notAnObject, messageOf(notAnObject)]).toEqual([notAnObject, 'Message must be a JSON object']);
    }
    expect(jsonCodec.parse(new Uint8Array([0xff]))).toEqual({
      ok: false,
      message: 'Message is not valid UTF-8',
    });
    expect(messageOf('{"action":"b"}')).toBe('"type" is required');
    expect(messageOf('{"type":"a"}')).toBe('"action" is required');
    expect(messageOf('{"type":"a b","action":"b"}')).toBe(
      '"type" must be 1-64 characters of letters, digits, "_", ".", ":" or "-"',
    );
    expect(messageOf('{"type":"a","action":"b","id":[]}')).toBe(
      '"id" must be a string of at most 64 characters or a safe integer',
    );
    expect(messageOf('x'.repeat(101), { maxPayload: 100 })).toBe('Message is larger than 100 bytes');
  });

  it('names what is wrong with a MessagePack frame', () => {
    const options = { codec: msgpackCodec, binary: true };
    expect(messageOf(42, options)).toBe('Message must be bytes');
    expect(messageOf(msgpackCodec.encode(new Uint8Array([1, 2])), options)).toBe(
      'Message must be a MessagePack map',
    );
    expect(msgpackCodec.parse('{}')).toEqual({ ok: false, message: 'Message is not MessagePack bytes' });
  });

  it('accepts a frame of exactly maxPayload bytes, as text, bytes or MessagePack; one byte more is too large', () => {
    const frameOf = (bytes: number) => {
      const base = '{"type":"a","action":"b","data":""}';
      const room = bytes - base.length; // é is 2 bytes, 1 character: both kinds of count differ
      return base.replace('""', `"${'é'.repeat(Math.floor(room / 2))}${'x'.repeat(room % 2)}"`);
    };
    const exact = frameOf(100);
    expect(utf8Length(exact)).toBe(100);
    expect(codeOf(exact, { maxPayload: 100 })).toBe('ok');
    expect(codeOf(exact, { maxPayload: 99 })).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    const bytes = new TextEncoder().encode(exact);
    expect(codeOf(bytes, { maxPayload: 100 })).toBe('ok');
    expect(codeOf(bytes, { maxPayload: 99 })).toBe(ErrorCode.PAYLOAD_TOO_LARGE);
    const packed = msgpackCodec.encode(JSON.parse(exact)) as Uint8Array;
    const options = { codec: msgpackCodec, binary: true };
    expect(codeOf(packed, { ...options, maxPayload: packed.byteLength })).toBe('ok');
    expect(codeOf(packed, { ...options, maxPayload: packed.byteLength - 1 })).toBe(
      ErrorCode.PAYLOAD_TOO_LARGE,
    );
  });

  it('accepts an id of exactly 64 characters, leaves out data it was not sent', () => {
    const result = decode(`{"type":"a","action":"b","id":"${'i'.repeat(64)}"}`);
    expect(result.ok && result.frame).toEqual({ type: 'a', action: 'b', id: 'i'.repeat(64) });
    expect(result.ok && 'data' in result.frame).toBe(false);
  });
});

describe('utf8Length', () => {
  it('counts each boundary of the encoding, surrogate pairs as 4 and lone surrogates as 3', () => {
    const cases: [string, number][] = [
      ['\x7f', 1],
      ['\x80', 2],
      ['\u07ff', 2],
      ['\u0800', 3],
      ['\ud7ff', 3],
      ['\ud83d\ude00', 4],
      ['\ud83d', 3],
      ['\ud83dx', 4],
      ['\ude00\ud83d', 6],
      ['\udbff\udfff', 4],
      ['\ue000', 3],
    ];
    for (const [text, bytes] of cases) expect([text, utf8Length(text)]).toEqual([text, bytes]);
  });

  it('matches the encoder on strings of arbitrary UTF-16 units, lone surrogates included', () => {
    const encoder = new TextEncoder();
    const unit = fc
      .oneof(fc.integer({ min: 0xd800, max: 0xdfff }), fc.integer({ min: 0, max: 0xffff }))
      .map(code => String.fromCharCode(code));
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 64 }), text => {
        expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
      }),
      RUNS,
    );
  });

  it('matches the encoder on arbitrary strings', () => {
    const encoder = new TextEncoder();
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 256 }), text => {
        expect(utf8Length(text)).toBe(encoder.encode(text).byteLength);
      }),
      RUNS,
    );
  });
});
