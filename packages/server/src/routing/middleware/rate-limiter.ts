import type { RateLimitOptions } from '@roomcast/protocol';

/**
 * Token bucket per client: O(1) per message, no timers. `take()` answers whether a message may
 * pass and whether the client has been refused often enough in a row to count as abuse.
 */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #abuseThreshold: number;
  #tokens: number;
  #last: number;
  #refusedInARow = 0;

  constructor(options: RateLimitOptions, now = performance.now()) {
    this.#perMs = options.perSecond / 1000;
    this.#burst = options.burst;
    this.#abuseThreshold = options.abuseThreshold;
    this.#tokens = options.burst;
    this.#last = now;
  }

  take(now = performance.now()): 'ok' | 'limited' | 'abuse' {
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      this.#refusedInARow = 0;
      return 'ok';
    }
    this.#refusedInARow += 1;
    return this.#refusedInARow >= this.#abuseThreshold ? 'abuse' : 'limited';
  }
}
