import { CloseCode, TERMINAL_CLOSE_CODES } from '@roomcast/protocol';
import type { ClientEvents, Emitter } from './emitter';
import { backoffDelay, type ResolvedClientOptions } from './options';

/**
 * When to dial again after a lost connection: full-jitter backoff (`backoffDelay`), capped
 * attempts, and the close codes that end the client instead (a retry would be refused again).
 */
export class Reconnector {
  readonly #options: ResolvedClientOptions;
  readonly #events: Emitter<ClientEvents>;
  readonly #dial: () => void;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ResolvedClientOptions, events: Emitter<ClientEvents>, dial: () => void) {
    this.#options = options;
    this.#events = events;
    this.#dial = dial;
  }

  /** A dial is scheduled. */
  get waiting(): boolean {
    return this.#timer !== undefined;
  }

  /** The handshake completed: the next outage starts again from the first delay. */
  reset(): void {
    this.#attempt = 0;
  }

  cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * After the connection closed with `code`: schedules the next dial (emitting `reconnecting`)
   * and returns undefined, or returns why the client stops instead.
   */
  retry(code: number): string | undefined {
    const { reconnect, logger } = this.#options;
    if (!reconnect) return `Connection closed (${code})`;
    const stop = this.#stopReason(code, reconnect.maxAttempts);
    if (stop) return stop;
    const delayMs = backoffDelay(this.#attempt++, reconnect);
    logger?.debug({ attempt: this.#attempt, delayMs }, 'roomcast client reconnecting');
    this.#events.emit('reconnecting', { attempt: this.#attempt, delayMs });
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#dial();
    }, delayMs);
    return undefined;
  }

  #stopReason(code: number, maxAttempts: number): string | undefined {
    if (TERMINAL_CLOSE_CODES.has(code)) return `The server refused this client (${code})`;
    if (code === CloseCode.TOKEN_EXPIRED && !this.#options.getToken)
      return 'Token expired (4001) and there is no getToken to renew it';
    if (this.#attempt < maxAttempts) return undefined;
    this.#events.emit('reconnectFailed', { attempts: this.#attempt });
    return `Gave up after ${this.#attempt} reconnect attempts`;
  }
}
