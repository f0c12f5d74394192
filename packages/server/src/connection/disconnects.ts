import type { Logger } from '@roomcast/protocol';
import { WebSocket } from 'ws';
import { spreadOverWindow } from './drain';

/**
 * How long a client closed because it stopped reading gets to read its close frame before its
 * socket is destroyed. It sits behind `maxBufferedBytes` of unread frames, so it rarely gets it:
 * ws's own close timeout (30 s) would hold the socket and that buffer for nothing.
 */
export const UNREAD_CLOSE_GRACE_MS = 1_000;

/**
 * Makes every disconnect finish within a bound: closes that cannot wait for the client, and the
 * clean-up after each close (room store, presence, `onDisconnected`), which `stop()` waits for.
 */
export class Disconnects {
  readonly #logger: Logger;
  readonly #closing = new Map<WebSocket, NodeJS.Timeout>();
  readonly #cleanUps = new Set<Promise<void>>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Closes with `code`; destroys the socket if the close handshake is not done in the grace time. */
  closeUnread(ws: WebSocket, code: number, reason: string): void {
    ws.close(code, reason);
    if (ws.readyState === WebSocket.CLOSED || this.#closing.has(ws)) return;
    const timer = setTimeout(() => {
      this.#closing.delete(ws);
      ws.terminate();
    }, UNREAD_CLOSE_GRACE_MS);
    timer.unref();
    this.#closing.set(ws, timer);
    ws.once('close', () => {
      clearTimeout(timer);
      this.#closing.delete(ws);
    });
  }

  /** Tracks a disconnect's clean-up until it settles; a failure is logged, never thrown. */
  track(cleanUp: Promise<void>): void {
    const tracked = cleanUp.then(
      () => {},
      (error: unknown) => this.#logger.error({ err: error }, 'disconnect clean-up failed'),
    );
    this.#cleanUps.add(tracked);
    void tracked.finally(() => this.#cleanUps.delete(tracked));
  }

  /** Destroys the sockets still closing and waits, up to `timeoutMs`, for every clean-up. */
  async drain(timeoutMs: number): Promise<void> {
    for (const [ws, timer] of this.#closing) {
      clearTimeout(timer);
      ws.terminate();
    }
    this.#closing.clear();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>(resolve => {
      timer = setTimeout(resolve, timeoutMs);
    });
    // Clean-ups may start more clean-ups (a close inside onDisconnected): wait until none is left.
    while (this.#cleanUps.size > 0) {
      const done = await Promise.race([Promise.all([...this.#cleanUps]).then(() => true), deadline]);
      if (!done) {
        this.#logger.warn({ pending: this.#cleanUps.size, timeoutMs }, 'stop: disconnect clean-up timed out');
        break;
      }
    }
    clearTimeout(timer);
  }
}

export interface CloseAllOptions {
  code: number;
  reason: string;
  timeoutMs: number;
  /** Each socket is closed at a random moment in [0, windowMs) (see `spreadOverWindow`). */
  windowMs: number;
}

/**
 * Closes every socket with `code`, spread over `windowMs`; after the last close, waits up to
 * `timeoutMs` for their close handshakes, destroys the rest, and resolves once every one has closed.
 */
export async function closeAll(
  sockets: WebSocket[],
  { code, reason, timeoutMs, windowMs }: CloseAllOptions,
): Promise<void> {
  const closed = sockets.map(ws =>
    ws.readyState === WebSocket.CLOSED
      ? undefined
      : new Promise<void>(resolve => ws.once('close', () => resolve())),
  );
  // Sockets that closed by themselves meanwhile are skipped: their close already went.
  const close = (ws: WebSocket) => {
    if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
  };
  await spreadOverWindow(sockets, { windowMs, close });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>(resolve => {
    timer = setTimeout(resolve, timeoutMs);
  });
  await Promise.race([Promise.all(closed), deadline]);
  clearTimeout(timer);
  for (const ws of sockets) if (ws.readyState !== WebSocket.CLOSED) ws.terminate();
  await Promise.all(closed);
}
