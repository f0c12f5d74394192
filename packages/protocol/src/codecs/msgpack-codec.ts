import { Decoder, Encoder } from '@msgpack/msgpack';
// Types only: this module shares no code with the JSON side, so a browser bundle that loads it
// lazily splits off one chunk for it and keeps everything else in the main file.
import type { Codec, ParseResult } from './codec';

// The same words as PROTO_KEY_MESSAGE in ./codec (a test holds them equal); see above for why
// this module imports nothing from there at run time.
const PROTO_KEY_MESSAGE = 'The key "__proto__" is not allowed';

// Reused: both keep scratch state between calls, and JavaScript runs one call at a time.
// `ignoreUndefined`: an absent field and an undefined one are the same frame, as in JSON.
const encoder = new Encoder({ ignoreUndefined: true });
const decoder = new Decoder();

/**
 * Binary MessagePack frames (`roomcast.v1.msgpack`), one MessagePack map per frame with the JSON
 * envelope's keys. A map key `__proto__` is refused (the decoder's guard against prototype
 * pollution), as the JSON codec refuses it, so such a frame gets INVALID_MESSAGE in both.
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
    } catch (error) {
      const proto = error instanceof Error && error.message.includes('__proto__');
      return { ok: false, message: proto ? PROTO_KEY_MESSAGE : 'Message is not valid MessagePack' };
    }
  },
});
