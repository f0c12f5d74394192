import { CloseCode, type Limits, type Logger } from '@roomcast/protocol';
import { WebSocket } from 'ws';
import type { Metrics } from './metrics';

/** A frame serialized and encoded once, written as is to every recipient. */
export type PreparedFrame = Buffer;

export function prepareFrame(frame: unknown): PreparedFrame {
  return Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame));
}

const TEXT = { binary: false } as const;

/**
 * Writes frames to sockets and keeps slow consumers from holding unbounded memory: a client
 * whose send buffer passed `maxBufferedBytes` is closed with 4009 or skipped (and counted).
 */
export class Outbound {
  readonly #metrics: Metrics;
  readonly #limits: Limits;
  readonly #logger: Logger;

  constructor(metrics: Metrics, limits: Limits, logger: Logger) {
    this.#metrics = metrics;
    this.#limits = limits;
    this.#logger = logger;
  }

  /** Sends one prepared frame; false when the client did not get it. */
  send(ws: WebSocket, frame: PreparedFrame, clientId?: string): boolean {
    if (ws.readyState !== WebSocket.OPEN) return false;
    if (ws.bufferedAmount >= this.#limits.maxBufferedBytes) {
      this.#slowConsumer(ws, clientId);
      return false;
    }
    // A Buffer with binary: false goes out as a text frame without another UTF-8 encoding.
    ws.send(frame, TEXT);
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
