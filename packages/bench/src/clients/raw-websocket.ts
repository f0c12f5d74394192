import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** A WebSocket opened without a WebSocket library: the upgrade by hand, then frames as they come. */
export interface RawWebSocket {
  /** Sends one masked text frame. */
  send(text: string): void;
  close(): void;
}

export interface RawWebSocketOptions {
  url: string;
  localAddress?: string | undefined;
  /**
   * Called for every text or binary frame. `payload` is a view into a buffer the next read
   * reuses: read it during the call or not at all.
   */
  onFrame(payload: Buffer): void;
  /** The upgrade was refused, or the socket failed or closed: called once. */
  onEnd(reason: string): void;
}

const OPCODE_CLOSE = 0x8;
const OPCODE_PING = 0x9;
const OPCODE_PONG = 0xa;
const FIN = 0x80;
const HEADER_END = Buffer.from('\r\n\r\n');
// One read buffer for every socket of the process: reads run one at a time on this thread, and
// nothing keeps a view into it past the callback (a partial frame is copied out).
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * Opens a WebSocket and hands over each frame's payload with no copy, no UTF-8 check and no event
 * per frame. ws's receiver does all three for every frame, which is most of what a swarm process
 * spends when a server writes a million frames a second to it; with this one the swarm spends its
 * CPU on reads, so the latency it measures is the server's and not its own backlog. Unmasked,
 * unfragmented server frames only, which is what every server in the bench sends.
 */
export function openRawWebSocket(options: RawWebSocketOptions): RawWebSocket {
  const url = new URL(options.url);
  const key = randomBytes(16).toString('base64');
  let upgraded = false;
  let pending: Buffer | undefined;
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    socket.destroy();
    options.onEnd(reason);
  };
  const socket: Socket = connect({
    host: url.hostname,
    port: Number(url.port),
    noDelay: true,
    ...(options.localAddress && { localAddress: options.localAddress }),
    onread: {
      buffer: READ_BUFFER,
      // The buffer passed back is READ_BUFFER itself, typed as a Uint8Array.
      callback: size => {
        const read = READ_BUFFER.subarray(0, size);
        const chunk = pending ? Buffer.concat([pending, read]) : read;
        pending = undefined;
        const rest = upgraded ? readFrames(chunk) : readUpgrade(chunk);
        // Copied: the read buffer is overwritten by the next read of any socket.
        if (rest < chunk.length) pending = Buffer.from(chunk.subarray(rest));
        return true;
      },
    },
  });
  socket.once('connect', () =>
    socket.write(
      `GET ${url.pathname}${url.search} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  socket.on('error', error => end(error.message));
  socket.on('close', () => end('closed'));

  /** Reads the 101 answer; returns how much of `chunk` it used. */
  function readUpgrade(chunk: Buffer): number {
    const headerEnd = chunk.indexOf(HEADER_END);
    if (headerEnd < 0) return 0;
    const statusLine = chunk.toString('latin1', 0, chunk.indexOf('\r\n'));
    if (!statusLine.startsWith('HTTP/1.1 101')) {
      end(`upgrade refused: ${statusLine}`);
      return chunk.length;
    }
    upgraded = true;
    const start = headerEnd + HEADER_END.length;
    return start + readFrames(chunk.subarray(start));
  }

  /** Walks the complete frames of `chunk`; returns how much of it they took. */
  function readFrames(chunk: Buffer): number {
    let at = 0;
    while (chunk.length - at >= 2) {
      const first = chunk[at]!;
      let length = chunk[at + 1]! & 0x7f;
      let header = 2;
      if (length === 126) {
        if (chunk.length - at < 4) break;
        length = chunk.readUInt16BE(at + 2);
        header = 4;
      } else if (length === 127) {
        if (chunk.length - at < 10) break;
        length = chunk.readUInt32BE(at + 6);
        header = 10;
      }
      if (chunk.length - at < header + length) break;
      const payload = chunk.subarray(at + header, at + header + length);
      at += header + length;
      const opcode = first & 0x0f;
      if (!(first & FIN) || opcode === 0) {
        end('a fragmented frame: the bench servers never send one');
        return chunk.length;
      }
      if (opcode === OPCODE_CLOSE) {
        end('closed by the server');
        return chunk.length;
      }
      if (opcode === OPCODE_PING) socket.write(maskedFrame(OPCODE_PONG, payload));
      else if (opcode !== OPCODE_PONG) options.onFrame(payload);
    }
    return at;
  }
  return {
    send: text => socket.write(maskedFrame(0x1, Buffer.from(text))),
    close: () => socket.destroy(),
  };
}

/** A client frame: FIN, the opcode, the mask bit and key, the masked payload (RFC 6455 5.2). */
function maskedFrame(opcode: number, payload: Buffer): Buffer {
  // The joins and pongs the swarm sends are small; a 64-bit length is never needed.
  if (payload.length > 0xffff) throw new RangeError(`a ${payload.length}-byte client frame`);
  const header = payload.length < 126 ? 2 : 4;
  const frame = Buffer.allocUnsafe(header + 4 + payload.length);
  frame[0] = FIN | opcode;
  if (header === 2) frame[1] = 0x80 | payload.length;
  else {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(payload.length, 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, header);
  for (let i = 0; i < payload.length; i++) frame[header + 4 + i] = payload[i]! ^ mask[i & 3]!;
  return frame;
}
