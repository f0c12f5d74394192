import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { decode } from '../codec';
import { ErrorCode } from '../codes';
import type { ClientFrame } from '../frames';
import { hasProtoKey, jsonCodec, PROTO_KEY_MESSAGE, SUBPROTOCOL } from './codec';
import { msgpackCodec } from './msgpack-codec';

// At least 1,000 generated cases per property; generous timeouts because CI machines are shared.
const RUNS = { numRuns: 1_000 };
vi.setConfig({ testTimeout: 120_000 });
const name = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/);
const requestId = fc.oneof(fc.string({ maxLength: 64 }), fc.maxSafeInteger());
const clientFrame: fc.Arbitrary<ClientFrame> = fc.record(
  { type: name, action: name, data: fc.jsonValue(), id: requestId },
  { requiredKeys: ['type', 'action'] },
);
const asMsgpack = { codec: msgpackCodec, binary: true };

describe('the MessagePack codec', () => {
  it('speaks the subprotocol SPEC section 2 names', () => {
    expect(msgpackCodec.subprotocol).toBe(SUBPROTOCOL.msgpack);
  });

  it('refuses a __proto__ key at any depth in JSON too, spelled out or escaped', () => {
    for (const text of [
      '{"type":"a","action":"b","data":{"x":[{"__proto__":1}]}}',
      '{"type":"a","action":"b","\\u005f_proto__":1}',
    ]) {
      expect(decode(text)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_MESSAGE', message: PROTO_KEY_MESSAGE },
      });
    }
    expect(decode('{"type":"a","action":"b","data":{"proto":"__proto"}}').ok).toBe(true);
  });

  it('round-trips every valid frame, to the same value the JSON codec gives', () => {
    fc.assert(
      fc.property(clientFrame, frame => {
        const packed = decode(msgpackCodec.encode(frame), asMsgpack);
        const json = decode(jsonCodec.encode(frame), {});
        expect(packed).toEqual(json);
        // Both refuse a __proto__ key anywhere (fast-check generates them); nothing else.
        expect(packed.ok).toBe(!hasProtoKey(frame));
      }),
      RUNS,
    );
  });

  it('never throws on arbitrary bytes, and refuses what is not a frame with INVALID_MESSAGE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), raw => {
        const result = decode(raw, asMsgpack);
        if (!result.ok) expect(result.error.code).toBe(ErrorCode.INVALID_MESSAGE);
      }),
      RUNS,
    );
  });

  it('refuses text frames, maps that are not frames, trailing bytes and __proto__ keys', () => {
    const refusal = (raw: unknown, options = asMsgpack) => {
      const result = decode(raw, options);
      return result.ok ? 'ok' : `${result.error.code}: ${result.error.message}`;
    };
    expect(refusal('{"type":"a","action":"b"}', { codec: msgpackCodec, binary: false })).toMatch(
      /^INVALID_MESSAGE: Text frames are not accepted on roomcast.v1.msgpack/,
    );
    expect(refusal(msgpackCodec.encode([1, 2]))).toBe('INVALID_MESSAGE: Message must be a MessagePack map');
    expect(refusal(msgpackCodec.encode(new Uint8Array([1])))).toMatch(/must be a MessagePack map/);
    expect(refusal(msgpackCodec.encode({ type: 'a' }))).toBe('INVALID_MESSAGE: "action" is required');
    const frame = msgpackCodec.encode({ type: 'a', action: 'b' }) as Uint8Array;
    expect(refusal(new Uint8Array([...frame, 0xc0]))).toBe(
      'INVALID_MESSAGE: Message is not valid MessagePack',
    );
    // { "__proto__": 1 } written by hand: fixmap of 1, fixstr "__proto__", 1.
    const proto = new Uint8Array([0x81, 0xa9, ...new TextEncoder().encode('__proto__'), 0x01]);
    expect(refusal(proto)).toBe(`INVALID_MESSAGE: ${PROTO_KEY_MESSAGE}`);
  });

  it('refuses frames over maxPayload with PAYLOAD_TOO_LARGE before decoding them', () => {
    const big = msgpackCodec.encode({ type: 'a', action: 'b', data: 'x'.repeat(100) });
    const result = decode(big, { ...asMsgpack, maxPayload: 50 });
    expect(result).toMatchObject({ ok: false, error: { code: ErrorCode.PAYLOAD_TOO_LARGE } });
  });

  it('drops undefined fields as JSON does', () => {
    expect(msgpackCodec.encode({ type: 'a', action: 'b', data: undefined })).toEqual(
      msgpackCodec.encode({ type: 'a', action: 'b' }),
    );
  });
});
