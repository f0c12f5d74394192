import type { Socket } from 'node:net';
import { CloseCode, type Limits, type Logger } from '@roomcast/protocol';
import { WebSocket } from 'ws';
import type { Metrics } from '../metrics';
import { isBinary } from './codecs';
import type { PreparedFrame } from './prepared-frame';
import { type WsInternals, wsInternals } from './ws-internals';

const TEXT = { binary: false } as const;
const BINARY = { binary: true } as const;

/**
 * A corked socket holding this many bytes is written at once, mid-turn: big turns still leave
 * in a few large writes, and a stalled client is found before it holds much beyond its limit.
 */
const MAX_CORKED_BYTES = 16 * 1024;

export interface OutboundOptions {
  metrics: Metrics;
  limits: Limits;
  logger: Logger;
  /** Closes a slow consumer with 4009; the server also takes it out of its rooms at once. */
  closeSlowConsumer?: (ws: WebSocket) => void;
  /** The ws internals of the fast path; default: detected once per process. false: `ws.send` only. */
  internals?: WsInternals | false | undefined;
  /** The server's `writeDelayMs`: how long a socket's frames wait to leave in one write. Default 0. */
  writeDelayMs?: number | undefined;
}

/**
 * Writes frames to sockets, coalescing them: a socket is corked at its first frame in an
 * event-loop turn and uncorked once the turn's synchronous work is done, so a burst of broadcasts
 * costs each socket one `writev` instead of one per frame. Everything written to the socket while
 * corked (close frames, pings) stays in order behind the frames. Each socket gets the frame in
 * the codec it negotiated: JSON text, or MessagePack binary on `roomcast.v1.msgpack`.
 *
 * It also keeps slow consumers from holding unbounded memory: a client that has not read
 * `maxBufferedBytes` is closed with 4009 or skipped (and counted), so a stalled client holds at
 * most the limit, `MAX_CORKED_BYTES` and one frame.
 *
 * With `writeDelayMs`, the sockets stay corked for that long instead of for the rest of the turn:
 * one timer per node flushes every socket that got a frame since the last flush, so broadcasts
 * that come one per turn still leave each socket in one write. The frames waiting count toward
 * `maxBufferedBytes`, and the cork keeps everything else written to the socket (replies, close
 * frames, pings) in order behind them.
 *
 * Without the ws internals (a ws release that moved them) it sends with `ws.send`: the same frames
 * and limits, without the shared framing and the coalescing (and without the delay).
 */
export class Outbound {
  readonly #metrics: Metrics;
  readonly #limits: Limits;
  readonly #logger: Logger;
  readonly #close: (ws: WebSocket) => void;
  readonly #internals: WsInternals | undefined;
  readonly #delayMs: number;
  /** The sockets corked since the last flush (this turn, or this delay). */
  #corked: Socket[] = [];
  #flushTimer: NodeJS.Timeout | undefined;

  constructor({ metrics, limits, logger, closeSlowConsumer, internals, writeDelayMs }: OutboundOptions) {
    this.#metrics = metrics;
    this.#limits = limits;
    this.#logger = logger;
    this.#close = closeSlowConsumer ?? closeWith4009;
    this.#internals = internals === false ? undefined : (internals ?? wsInternals(logger));
    this.#delayMs = writeDelayMs ?? 0;
  }

  /** Sends one prepared frame; false when the client did not get it. */
  send(ws: WebSocket, frame: PreparedFrame, clientId?: string): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false;
    const internals = this.#internals;
    if (!internals) return this.#sendPlain(ws, frame, clientId);
    const socket = internals.socketOf(ws);
    if (!this.#corkHasRoom(ws, socket)) {
      this.#slowConsumer(ws, clientId);
      return false;
    }
    // ws's sender holds bytes only while it compresses (off here) or reads a Blob (never sent
    // here); when it holds none, the shared pre-framed bytes can go straight to the socket.
    const binary = isBinary(ws);
    if (ws.bufferedAmount === socket.writableLength) socket.write(frame.wire(internals, binary));
    else sendPlain(ws, frame, binary);
    this.#metrics.messagesOut++;
    return true;
  }

  #sendPlain(ws: WebSocket, frame: PreparedFrame, clientId: string | undefined): boolean {
    if (ws.bufferedAmount >= this.#limits.maxBufferedBytes) {
      this.#slowConsumer(ws, clientId);
      return false;
    }
    sendPlain(ws, frame, isBinary(ws));
    this.#metrics.messagesOut++;
    return true;
  }

  /** Writes every frame still waiting for its turn or its delay now (`stop()`, before closing). */
  flush(): void {
    clearTimeout(this.#flushTimer);
    this.#uncorkAll();
  }

  /**
   * Keeps the socket corked until the flush. False when its client has not read
   * `maxBufferedBytes`: without a delay, checked at the socket's first frame of the turn and
   * whenever what it holds is written early, never against bytes corked this turn (those are
   * ours, not the client's); with a delay, at every frame, the frames waiting included, since
   * they may wait for many turns.
   */
  #corkHasRoom(ws: WebSocket, socket: Socket): boolean {
    // ws corks only inside its own synchronous writes: corked here means corked by this outbound.
    if (socket.writableCorked === 0) {
      if (this.#corked.length === 0) this.#scheduleFlush();
      socket.cork();
      this.#corked.push(socket);
    } else if (socket.writableLength >= MAX_CORKED_BYTES) {
      socket.uncork();
      socket.cork();
    } else if (this.#delayMs === 0) {
      return true;
    }
    return ws.bufferedAmount < this.#limits.maxBufferedBytes;
  }

  /** One flush per turn, or one timer per delay for every socket of the node. */
  #scheduleFlush(): void {
    if (this.#delayMs === 0) process.nextTick(this.#uncorkAll);
    else this.#flushTimer = setTimeout(this.#uncorkAll, this.#delayMs);
  }

  readonly #uncorkAll = (): void => {
    const sockets = this.#corked;
    this.#corked = [];
    this.#flushTimer = undefined;
    for (const socket of sockets) socket.uncork();
  };

  #slowConsumer(ws: WebSocket, clientId: string | undefined): void {
    this.#metrics.dropped++;
    if (this.#limits.slowConsumer === 'drop') return;
    this.#metrics.slowConsumersClosed++;
    this.#logger.warn({ clientId, bufferedAmount: ws.bufferedAmount }, 'closing slow consumer');
    this.#close(ws);
  }
}

function sendPlain(ws: WebSocket, frame: PreparedFrame, binary: boolean): void {
  if (binary) ws.send(frame.msgpack, BINARY);
  else ws.send(frame.payload, TEXT);
}

function closeWith4009(ws: WebSocket): void {
  ws.close(CloseCode.SLOW_CONSUMER, 'slow consumer');
}
