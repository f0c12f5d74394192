import type { Socket } from 'node:net';
import type { Logger } from '@roomcast/protocol';
import type { WebSocket } from 'ws';
import * as wsModule from 'ws';

/**
 * What the fast outbound path uses of `ws` beyond its documented API: `Sender.frame` (exported and
 * marked public in ws's source, absent from @types/ws) to frame a broadcast once for every
 * recipient, and a WebSocket's `_socket` (private) to cork it and write those bytes directly.
 * Tested with the `ws` versions package.json allows; checked at start-up because a ws release may
 * move either.
 */
export interface WsInternals {
  /** The complete server-to-client frame for `payload`: FIN, not masked, not compressed. */
  frame(payload: Buffer, binary: boolean): Buffer;
  /** The connection's net.Socket under a WebSocket. */
  socketOf(ws: WebSocket): Socket;
}

type WsLike = { Sender?: unknown; WebSocket?: unknown };

const TEXT_FRAME = { fin: true, rsv1: false, opcode: 0x01, mask: false, readOnly: true };
const BINARY_FRAME = { ...TEXT_FRAME, opcode: 0x02 };

/**
 * The internals when `ws` has them and they behave as tested, or the reason they cannot be used.
 * The frame check covers all three header sizes (7-bit, 16-bit and 64-bit lengths).
 */
export function detectWsInternals(ws: WsLike = wsModule): WsInternals | { missing: string } {
  const frame = (ws.Sender as { frame?: unknown } | undefined)?.frame;
  if (typeof frame !== 'function') return { missing: 'ws.Sender.frame is not a function' };
  const framed = (payload: Buffer, binary: boolean): Buffer =>
    Buffer.concat(
      (frame as (data: Buffer, options: object) => Buffer[])(payload, binary ? BINARY_FRAME : TEXT_FRAME),
    );
  try {
    for (const length of [2, 300, 70_000]) {
      const payload = Buffer.alloc(length, 0x61);
      if (!framed(payload, false).equals(Buffer.concat([header(length), payload]))) {
        return { missing: `ws.Sender.frame framed ${length} bytes unlike RFC 6455` };
      }
    }
    // ws's server makes its sockets this way (`new WebSocket(null, undefined, options)`); the
    // connection's socket is set later by `setSocket`, into the field read here.
    const Ctor = ws.WebSocket as new (address: null, protocols: undefined, options: object) => object;
    if (!Object.hasOwn(new Ctor(null, undefined, {}), '_socket')) {
      return { missing: 'a ws WebSocket has no _socket field' };
    }
  } catch (error) {
    return { missing: `ws internals threw: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { frame: framed, socketOf: ws => (ws as unknown as { _socket: Socket })._socket };
}

const checked = new WeakMap<object, WsInternals | undefined>();

/**
 * The internals of the `ws` this process loaded, checked once per process; undefined (after one
 * warning naming the reason) when the outbound path must use the plain `ws.send` instead.
 */
export function wsInternals(logger: Logger, ws: WsLike = wsModule): WsInternals | undefined {
  if (checked.has(ws)) return checked.get(ws);
  const result = detectWsInternals(ws);
  const internals = 'missing' in result ? undefined : result;
  checked.set(ws, internals);
  if ('missing' in result) {
    logger.warn(
      { reason: result.missing },
      'This ws version lacks the internals Roomcast frames broadcasts with; sending with ws.send ' +
        '(correct, but each broadcast is framed per client and not coalesced). Install the ws ' +
        'range @roomcast/server lists. (Logged once per process.)',
    );
  }
  return internals;
}

/** The RFC 6455 header of an unmasked, final text frame of `length` bytes. */
function header(length: number): Buffer {
  if (length < 126) return Buffer.from([0x81, length]);
  if (length < 65_536) return Buffer.from([0x81, 126, length >> 8, length & 0xff]);
  const bytes = Buffer.alloc(10);
  bytes[0] = 0x81;
  bytes[1] = 127;
  bytes.writeBigUInt64BE(BigInt(length), 2);
  return bytes;
}
