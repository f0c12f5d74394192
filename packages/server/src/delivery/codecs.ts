import { type Codec, jsonCodec, SUBPROTOCOL } from '@roomcast/protocol';
import { msgpackCodec } from '@roomcast/protocol/msgpack';
import type { WebSocket } from 'ws';

/**
 * The subprotocol for a handshake's offer: MessagePack when offered, else JSON when offered by
 * name. A client that offers none gets JSON without a subprotocol; one that offers only others
 * gets none of them (false), so a browser that insisted on one fails the handshake loudly.
 */
export function chooseSubprotocol(offered: ReadonlySet<string>): string | false {
  if (offered.has(SUBPROTOCOL.msgpack)) return SUBPROTOCOL.msgpack;
  if (offered.has(SUBPROTOCOL.json)) return SUBPROTOCOL.json;
  return false;
}

/** Whether a socket speaks MessagePack (binary frames). */
export function isBinary(ws: WebSocket): boolean {
  return ws.protocol === SUBPROTOCOL.msgpack;
}

/** The codec a socket negotiated at its handshake. */
export function codecOf(ws: WebSocket): Codec {
  return isBinary(ws) ? msgpackCodec : jsonCodec;
}
