import { type Codec, jsonCodec } from '@roomcast/protocol';
import type { CodecOption } from './options';

/**
 * The codec for a client's `codec` option. MessagePack is a dynamic import, so a bundler puts it
 * (and the MessagePack library) in a chunk of its own that only MessagePack clients load.
 */
export function loadCodec(option: CodecOption): Codec | Promise<Codec> {
  if (option === 'json') return jsonCodec;
  return import('@roomcast/protocol/msgpack').then(module => module.msgpackCodec);
}
