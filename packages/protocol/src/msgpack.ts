// `@roomcast/protocol/msgpack`: the MessagePack codec, apart so JSON-only clients never load it.
export { msgpackCodec } from './codecs/msgpack-codec';
