import type { WsInternals } from './ws-internals';

/**
 * A frame serialized and encoded once per broadcast and shared by every recipient. Its wire form
 * adds the WebSocket header once too, so writing it to a socket copies nothing per recipient.
 */
export class PreparedFrame {
  readonly payload: Buffer;
  #wire: Buffer | undefined;

  constructor(payload: Buffer) {
    this.payload = payload;
  }

  /** The complete server-to-client text frame, framed at the first call and kept. */
  wire(internals: WsInternals): Buffer {
    this.#wire ??= internals.textFrame(this.payload);
    return this.#wire;
  }
}

export function prepareFrame(frame: unknown): PreparedFrame {
  return new PreparedFrame(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)));
}
