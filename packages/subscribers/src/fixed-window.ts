import { assertPositiveInteger, assertWindow } from './checks';

/**
 * Internal: a fixed-window counter shared by `withRateLimit` and `rateLimitMiddleware`: `max`
 * runs per `windowMs`, each window starting at the first run after the previous one ended.
 * The returned function counts one run and returns 0 when it is allowed, else how many runs this
 * window has refused so far (1 on the first), so callers can warn once per window, not per message.
 * Monotonic time (performance.now) so a wall-clock jump neither reopens nor stalls a window.
 */
export function fixedWindow(max: number, windowMs: number, owner: string): () => number {
  assertPositiveInteger(max, `${owner}: max`);
  assertWindow(windowMs, `${owner}: windowMs`);
  let windowStart = Number.NEGATIVE_INFINITY;
  let count = 0;
  let refused = 0;
  return function take(): number {
    const now = performance.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      count = 0;
      refused = 0;
    }
    if (count < max) {
      count += 1;
      return 0;
    }
    refused += 1;
    return refused;
  };
}
