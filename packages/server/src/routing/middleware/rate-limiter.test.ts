import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter';

describe('RateLimiter: token bucket boundaries', () => {
  it('lets a message pass with exactly one token left', () => {
    // 1 per second: after the burst, exactly 1000 ms refill exactly one token.
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, abuseThreshold: 10 }, 0);
    expect(limiter.take(0)).toBe('ok');
    expect(limiter.take(0)).toBe('limited');
    expect(limiter.take(1000)).toBe('ok');
  });

  it('flags abuse at exactly abuseThreshold refusals in a row, and a pass resets the count', () => {
    const limiter = new RateLimiter({ perSecond: 1, burst: 1, abuseThreshold: 2 }, 0);
    expect(limiter.take(0)).toBe('ok');
    expect(limiter.take(0)).toBe('limited');
    expect(limiter.take(0)).toBe('abuse');
    expect(limiter.take(2000)).toBe('ok');
    expect(limiter.take(2000)).toBe('limited');
  });
});
