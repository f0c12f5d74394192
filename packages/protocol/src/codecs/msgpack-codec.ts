import { Decoder, Encoder } from '@msgpack/msgpack';
// Types only: this module shares no code with the JSON side, so a browser bundle that loads it
// lazily splits off one chunk for it and keeps everything else in the main file.
import type { Codec, ParseResult } from './codec';

// Reused: both keep scratch state between calls, and JavaScript runs one call at a time.
// `ignoreUndefined`: an absent field and an undefined one are the same frame, as in JSON.
const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder();

/**
 * Binary MessagePack frames (`roomcast.v1.msgpack`), one MessagePack map per frame with the JSON
 * envelope's keys. A map key `__proto__` is refused (the decoder's guard against prototype
 * pollution), so such a frame gets INVALID_MESSAGE.
 */
export const msgpackCodec: Codec = Object.freeze({
  name: 'msgpack',
  subprotocol: 'roomcast.v1.msgpack', // SUBPROTOCOL.msgpack (a test holds them equal)
  binary: true,
  objectName: 'a MessagePack map',
  encode: (frame: unknown) => encoder.encode(frame),
  parse(raw: string | Uint8Array): ParseResult {
    if (typeof raw === 'string') return { ok: false, message: 'Message is not MessagePack bytes' };
    try {
      return { ok: true, value: decoder.decode(raw) };
    } catch {
      return { ok: false, message: 'Message is not valid MessagePack' };
    }
  },
});
