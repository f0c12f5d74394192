import type { Socket } from 'node:net';
import * as ws from 'ws';

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}

// ws exports Sender (and its static `frame`) for exactly this use; @types/ws does not declare it.
const { Sender } = ws as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } };

const TEXT_FRAME: FrameOptions = { fin: true, rsv1: false, opcode: 0x01, mask: false, readOnly: false };

/** One complete unmasked text frame (header + payload in one buffer), to write as is to many sockets. */
export function frameText(text: string): Buffer {
  return Buffer.concat(Sender.frame(Buffer.from(text), TEXT_FRAME));
}

/** The TCP socket under a ws WebSocket; ws keeps it in `_socket`, its documented-by-use escape hatch. */
export function rawSocket(socket: ws.WebSocket): Socket {
  return (socket as unknown as { _socket: Socket })._socket;
}
