import { msgpackCodec } from '@roomcast/protocol/msgpack';
import type { WsInternals } from './ws-internals';

/**
 * A frame serialized once per broadcast and shared by every recipient, in each codec a recipient
 * speaks: JSON always (the bus and the history carry it), MessagePack at the first recipient on
 * `roomcast.v1.msgpack`. Its wire forms add the WebSocket header once too, so writing it to a
 * socket copies nothing per recipient.
 */
export class PreparedFrame {
  /** The frame as JSON text (UTF-8). */
  readonly payload: Buffer;
  #msgpack: Buffer | undefined;
  #textWire: Buffer | undefined;
  #binaryWire: Buffer | undefined;

  constructor(payload: Buffer) {
    this.payload = payload;
  }

  /** The same frame as MessagePack, made from the JSON so both codecs carry the same value. */
  get msgpack(): Buffer {
    if (this.#msgpack === undefined) {
      const bytes = msgpackCodec.encode(JSON.parse(this.payload.toString())) as Uint8Array;
      this.#msgpack = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    return this.#msgpack;
  }

  /** The complete server-to-client frame, text (JSON) or binary (MessagePack), framed once. */
  wire(internals: WsInternals, binary: boolean): Buffer {
    if (binary) {
      this.#binaryWire ??= internals.frame(this.msgpack, true);
      return this.#binaryWire;
    }
    this.#textWire ??= internals.frame(this.payload, false);
    return this.#textWire;
  }
}

export function prepareFrame(frame: unknown): PreparedFrame {
  return new PreparedFrame(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)));
}
