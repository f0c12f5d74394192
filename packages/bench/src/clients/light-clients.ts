import { jsonCodec } from '@roomcast/protocol';
import type { ClientOptions, SwarmClient } from './client';
import { openRawWebSocket } from './raw-websocket';
import { JOIN_ID, joinRequest, urlWithToken } from './roomcast-protocol-client';

/**
 * The swarm's light clients: each system's join dialogue spoken over a raw WebSocket
 * (`raw-websocket.ts`), for scenarios that send a client process more frames than a WebSocket
 * library reads. They join the room the library clients join, with the same token, and parse a
 * message only when the swarm times it.
 */

// Socket.IO's ack id for the join event.
const ACK_ID = 0;

/** Roomcast's wire protocol, JSON (also spoken by the raw ws baselines): `connected`, join, reply. */
export function connectLightRoomcastClient(options: ClientOptions): Promise<SwarmClient> {
  const url = urlWithToken(options);
  const read = (payload: Buffer) => {
    const parsed = jsonCodec.parse(payload.toString());
    return parsed.ok ? parsed.value : undefined;
  };
  return joinOver(url, options, (payload, send) => {
    const frame = read(payload) as { type?: unknown; action?: unknown; id?: unknown; error?: unknown };
    if (frame?.type === 'system' && frame.action === 'connected') {
      send(JSON.stringify(joinRequest(options.roomName)));
      return 'waiting';
    }
    if (frame?.id !== JOIN_ID) return 'waiting';
    return frame.error ? `join refused: ${JSON.stringify(frame.error)}` : { read };
  });
}

/**
 * Socket.IO 4 over engine.io 4, WebSocket transport: the open packet (`0`), CONNECT with the token
 * (`40{...}`), the `join` event with an ack (`420[...]`, answered `430[]`); messages are `42["message",
 * payload]` and the server's pings (`2`) get a pong (`3`).
 */
export function connectLightSocketIoClient(options: ClientOptions): Promise<SwarmClient> {
  const url = `${options.url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;
  const read = (payload: Buffer) => (JSON.parse(payload.toString('utf8', 2)) as unknown[])[1];
  return joinOver(url, options, (payload, send) => {
    const packet = payload.toString();
    if (packet.startsWith('0')) send(`40${options.token ? JSON.stringify({ token: options.token }) : ''}`);
    else if (packet.startsWith('44')) return `connect refused: ${packet.slice(2)}`;
    else if (packet.startsWith('40')) send(`42${ACK_ID}${JSON.stringify(['join', options.roomName])}`);
    else if (packet.startsWith(`43${ACK_ID}`)) return { read, isMessage, reply: pingReply };
    return 'waiting';
  });
}

/** Engine.io's ping is a text frame of its own: only `42...` frames are messages. */
function isMessage(payload: Buffer): boolean {
  return payload[0] === 0x34 && payload[1] === 0x32;
}

function pingReply(payload: Buffer): string | undefined {
  return payload.length === 1 && payload[0] === 0x32 ? '3' : undefined;
}

interface Joined {
  /** Parses a message's payload into what the scenario reads (its sent-at stamp). */
  read(payload: Buffer): unknown;
  /** Which frames count as messages (default: all). */
  isMessage?(payload: Buffer): boolean;
  /** A frame that needs an answer at the protocol level (engine.io's pings). */
  reply?(payload: Buffer): string | undefined;
}

/** One step of a join dialogue: keep waiting, give up with a reason, or joined. */
type JoinStep = (payload: Buffer, send: (text: string) => void) => 'waiting' | string | Joined;

function joinOver(url: string, options: ClientOptions, step: JoinStep): Promise<SwarmClient> {
  return new Promise((resolve, reject) => {
    let joined: Joined | undefined;
    const socket = openRawWebSocket({
      url,
      localAddress: options.localAddress,
      onEnd: reason => {
        if (!joined) reject(new Error(`${reason} before joining`));
      },
      onFrame: payload => {
        if (!joined) {
          const next = step(payload, text => socket.send(text));
          if (next === 'waiting') return;
          if (typeof next === 'string') {
            socket.close();
            return reject(new Error(next));
          }
          joined = next;
          return resolve(socket);
        }
        const answer = joined.reply?.(payload);
        if (answer !== undefined) return socket.send(answer);
        if (joined.isMessage && !joined.isMessage(payload)) return;
        const { read } = joined;
        options.onMessage(() => read(payload));
      },
    });
  });
}
