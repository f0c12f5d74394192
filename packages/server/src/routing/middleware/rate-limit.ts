import { ErrorCode, type RateLimitOptions, RoomcastError } from '@roomcast/protocol';
import type { Metrics } from '../../metrics';
import { type Middleware, passesThrough } from './compose';
import type { PipelineContext } from './pipeline-context';
import { RateLimiter } from './rate-limiter';

/**
 * The per-client message rate limit (`limits.rateLimit`): a token bucket on each client's record.
 * Over the rate a message is answered `RATE_LIMITED`; refused `abuseThreshold` times in a row, the
 * client is closed with 4008 once its replies already owed are out, and nothing more it sends is
 * read. It runs first, before the frame is even known to be valid, so garbage counts too.
 *
 * @example
 * const steps = [rateLimitMiddleware({ perSecond: 100, burst: 200, abuseThreshold: 50 }, metrics)];
 */
export function rateLimitMiddleware(
  options: RateLimitOptions,
  metrics: Metrics,
): Middleware<PipelineContext> {
  return passesThrough<Middleware<PipelineContext>>(function rateLimit(ctx, next) {
    const client = ctx.connection;
    const limiter = client.limiter ?? new RateLimiter(options);
    client.limiter = limiter;
    const verdict = limiter.take();
    if (verdict === 'ok') return next();
    if (verdict === 'abuse') {
      client.abusive = true;
      ctx.silent = true;
      return;
    }
    metrics.rateLimited++;
    throw new RoomcastError(ErrorCode.RATE_LIMITED, 'Too many messages; slow down');
  });
}
