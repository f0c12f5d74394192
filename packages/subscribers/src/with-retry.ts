import { silentLogger } from '@roomcast/protocol';
import { assertDuration, assertFunction, assertNonNegativeInteger, toError } from './checks';
import type { SubscriberContextLike } from './types';
import type { ContextHandler } from './utilities';

/**
 * Runs `handler`, and after a failure tries again up to `retries` more times, waiting `delayMs`,
 * then `delayMs * backoff`, `delayMs * backoff²`, ... between attempts. Each failed attempt that
 * will be retried is logged as a warning; after the last one its error is rethrown.
 *
 * @example
 * ```ts
 * // 4 attempts at most: waits 1 s, 2 s, then 4 s between them.
 * handle: withRetry(syncToDatabase, 3, 1000, 2),
 * ```
 */
export function withRetry<TContext extends SubscriberContextLike, TResult>(
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
  retries: number,
  delayMs: number,
  backoff = 2,
): ContextHandler<TContext, Promise<TResult>> {
  assertFunction(handler, 'withRetry: handler');
  assertNonNegativeInteger(retries, 'withRetry: retries');
  assertDuration(delayMs, 'withRetry: delayMs');
  if (typeof backoff !== 'number' || !Number.isFinite(backoff) || backoff < 1) {
    throw new TypeError(
      `withRetry: backoff must be a number of 1 or more (1 keeps the delay constant), got ${backoff}.`,
    );
  }
  return async function retrying(context) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await handler(context);
      } catch (thrown) {
        if (attempt >= retries) throw thrown;
        const waitMs = delayMs * backoff ** attempt;
        (context.logger ?? silentLogger).warn(
          {
            subscriber: context.subscriber,
            channel: context.channel,
            attempt: attempt + 1,
            waitMs,
            err: toError(thrown),
          },
          `attempt ${attempt + 1} of ${retries + 1} failed on ${context.channel}; retrying in ${waitMs} ms`,
        );
        await new Promise(resolve => setTimeout(resolve, waitMs));
      }
    }
  };
}
