/**
 * The WebSocket subprotocols Roomcast speaks (SPEC section 2). A client offers one; without one
 * (or with `roomcast.v1.json`) frames are JSON text.
 */
export const SUBPROTOCOL = Object.freeze({
  json: 'roomcast.v1.json',
  msgpack: 'roomcast.v1.msgpack',
} as const);

export type CodecName = keyof typeof SUBPROTOCOL;

export type ParseResult = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * How one subprotocol puts a frame on the wire. Both carry the same envelope (`type`, `action`,
 * `data`, `id`, `room`, `offset`, `response`, `error`); only the bytes differ.
 */
export interface Codec {
  readonly name: CodecName;
  readonly subprotocol: string;
  /** Frames are binary WebSocket messages (MessagePack) rather than text (JSON). */
  readonly binary: boolean;
  /** One frame's wire form. */
  encode(frame: unknown): string | Uint8Array;
  /** One wire message (already size-checked) back to a value. Never throws. */
  parse(raw: string | Uint8Array): ParseResult;
  /** What a frame must be, for error messages: "a JSON object". */
  readonly objectName: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Both codecs refuse a `__proto__` key at any depth (MessagePack's decoder does it itself). */
export const PROTO_KEY_MESSAGE = 'The key "__proto__" is not allowed';

/** Whether a parsed value has an own `__proto__` key anywhere (JSON.parse makes one). */
export function hasProtoKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) return true;
  return Object.values(value).some(hasProtoKey);
}

/** JSON text frames: `roomcast.v1.json`, and what a client without a subprotocol gets. */
export const jsonCodec: Codec = Object.freeze({
  name: 'json',
  subprotocol: SUBPROTOCOL.json,
  binary: false,
  objectName: 'a JSON object',
  encode: (frame: unknown) => JSON.stringify(frame),
  parse(raw: string | Uint8Array): ParseResult {
    let text: string;
    try {
      text = typeof raw === 'string' ? raw : utf8.decode(raw);
    } catch {
      return { ok: false, message: 'Message is not valid UTF-8' };
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { ok: false, message: 'Message is not valid JSON' };
    }
    // Walked only when the text could spell the key (as is, or with a \u escape): rare.
    if ((text.includes('__proto__') || text.includes('\\u')) && hasProtoKey(value))
      return { ok: false, message: PROTO_KEY_MESSAGE };
    return { ok: true, value };
  },
});
