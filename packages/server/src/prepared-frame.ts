import * as ws from 'ws';

/**
 * A frame serialized and encoded once per broadcast and shared by every recipient. `wire` adds
 * the WebSocket header once too, so writing it to a socket copies nothing per recipient.
 */
export class PreparedFrame {
  readonly payload: Buffer;
  #wire: Buffer | undefined;

  constructor(payload: Buffer) {
    this.payload = payload;
  }

  /** The complete server-to-client text frame: FIN, not masked, not compressed. */
  get wire(): Buffer {
    this.#wire ??= Buffer.concat(Sender.frame(this.payload, TEXT_FRAME));
    return this.#wire;
  }
}

export function prepareFrame(frame: unknown): PreparedFrame {
  return new PreparedFrame(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)));
}

// ws exports the Sender it frames with (`frame` is documented public); @types/ws does not declare it.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: object): Buffer[] } };

const TEXT_FRAME = { fin: true, rsv1: false, opcode: 0x01, mask: false, readOnly: true };
