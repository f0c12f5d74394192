import type { Socket } from 'node:net';
import { CloseCode, type Limits, type Logger } from '@roomcast/protocol';
import { WebSocket } from 'ws';
import type { Metrics } from './metrics';
import type { PreparedFrame } from './prepared-frame';

const TEXT = { binary: false } as const;

/**
 * How many bytes a socket may hold corked before they are written mid-turn. It bounds what a
 * stalled client can cost beyond `maxBufferedBytes` and is the size of one kernel write anyway.
 */
const MAX_CORKED_BYTES = 16 * 1024;

/**
 * Writes frames to sockets, coalescing them: a socket is corked at its first frame in an
 * event-loop turn and uncorked once the turn's synchronous work is done, so a burst of broadcasts
 * costs each socket one `writev` instead of one per frame. Everything written to the socket while
 * corked (close frames, pings) stays in order behind the frames.
 *
 * It also keeps slow consumers from holding unbounded memory: a client that has not read
 * `maxBufferedBytes` is closed with 4009 or skipped (and counted). Bytes corked this turn are
 * ours, not the client's, so they do not count toward its limit.
 */
export class Outbound {
  readonly #metrics: Metrics;
  readonly #limits: Limits;
  readonly #logger: Logger;
  /** The sockets corked this turn, each with what its client had not read when it was corked. */
  readonly #corked = new Map<WebSocket, number>();

  constructor(metrics: Metrics, limits: Limits, logger: Logger) {
    this.#metrics = metrics;
    this.#limits = limits;
    this.#logger = logger;
  }

  /** Sends one prepared frame; false when the client did not get it. */
  send(ws: WebSocket, frame: PreparedFrame, clientId?: string): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false;
    const socket = rawSocket(ws);
    if (!socket) return this.#sendUncorked(ws, frame, clientId);
    const unread = this.#cork(ws, socket);
    if (unread >= this.#limits.maxBufferedBytes) {
      this.#slowConsumer(ws, clientId);
      return false;
    }
    // ws's sender holds bytes only while it compresses (off here) or reads a Blob (never sent
    // here); when it holds none, the shared pre-framed bytes can go straight to the socket.
    if (ws.bufferedAmount === socket.writableLength) socket.write(frame.wire);
    else ws.send(frame.payload, TEXT);
    this.#metrics.messagesOut++;
    return true;
  }

  /** Corks the socket for the rest of this turn; returns the bytes its client has not read. */
  #cork(ws: WebSocket, socket: Socket): number {
    const unread = this.#corked.get(ws);
    if (unread === undefined) {
      if (this.#corked.size === 0) process.nextTick(this.#uncorkAll);
      socket.cork();
      const buffered = ws.bufferedAmount;
      this.#corked.set(ws, buffered);
      return buffered;
    }
    if (ws.bufferedAmount - unread < MAX_CORKED_BYTES) return unread;
    // Write what this turn corked so far: whatever the kernel does not take is now unread.
    socket.uncork();
    socket.cork();
    const buffered = ws.bufferedAmount;
    this.#corked.set(ws, buffered);
    return buffered;
  }

  readonly #uncorkAll = (): void => {
    for (const ws of this.#corked.keys()) rawSocket(ws)?.uncork();
    this.#corked.clear();
  };

  #sendUncorked(ws: WebSocket, frame: PreparedFrame, clientId: string | undefined): boolean {
    if (ws.bufferedAmount >= this.#limits.maxBufferedBytes) {
      this.#slowConsumer(ws, clientId);
      return false;
    }
    ws.send(frame.payload, TEXT);
    this.#metrics.messagesOut++;
    return true;
  }

  #slowConsumer(ws: WebSocket, clientId: string | undefined): void {
    this.#metrics.dropped++;
    if (this.#limits.slowConsumer === 'drop') return;
    this.#metrics.slowConsumersClosed++;
    this.#logger.warn({ clientId, bufferedAmount: ws.bufferedAmount }, 'closing slow consumer');
    // ws terminates the socket if the close handshake does not finish (the client is not reading).
    ws.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
  }
}

/** ws has no public cork or raw write; its `_socket` is the connection's net.Socket. */
function rawSocket(ws: WebSocket): Socket | undefined {
  return (ws as unknown as { _socket?: Socket })._socket;
}
