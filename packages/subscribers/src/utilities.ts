import { silentLogger } from '@roomcast/protocol';
import { assertFunction, toError } from './checks';
import { fixedWindow } from './fixed-window';
import type { SubscriberContextLike } from './types';

/** Any handler-shaped function; the utilities keep the context type of the handler they wrap. */
export type ContextHandler<TContext, TResult = unknown> = (context: TContext) => TResult;

/**
 * Catches what `handler` throws and gives it to `onError(error, context)` instead of letting it
 * reach the dispatcher's error log. Resolves to the handler's result, or `undefined` after an error.
 *
 * @example
 * ```ts
 * handle: withErrorHandler(handler, (error, context) => logger.warn(`${context.channel}: ${error.message}`)),
 * ```
 */
export function withErrorHandler<TContext extends SubscriberContextLike, TResult>(
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
  onError: (error: Error, context: TContext) => unknown,
): ContextHandler<TContext, Promise<TResult | undefined>> {
  assertFunction(handler, 'withErrorHandler: handler');
  assertFunction(onError, 'withErrorHandler: onError');
  return async function errorHandled(context) {
    try {
      return await handler(context);
    } catch (thrown) {
      await onError(toError(thrown), context);
      return undefined;
    }
  };
}

/**
 * Runs `handler` at most `max` times per fixed window of `windowMs`. Over the limit it is skipped
 * and `onLimitExceeded(context)` is called (each time); without that callback a warning is logged
 * once per window.
 *
 * @example
 * ```ts
 * handle: withRateLimit(handler, 10, 60_000, context => metrics.dropped(context.channel)),
 * ```
 */
export function withRateLimit<TContext extends SubscriberContextLike, TResult>(
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
  max: number,
  windowMs: number,
  onLimitExceeded?: (context: TContext) => unknown,
): ContextHandler<TContext, Promise<TResult | undefined>> {
  assertFunction(handler, 'withRateLimit: handler');
  if (onLimitExceeded !== undefined) assertFunction(onLimitExceeded, 'withRateLimit: onLimitExceeded');
  const take = fixedWindow(max, windowMs, 'withRateLimit');
  return async function rateLimited(context) {
    const refused = take();
    if (refused === 0) return await handler(context);
    if (onLimitExceeded) await onLimitExceeded(context);
    else if (refused === 1) {
      (context.logger ?? silentLogger).warn(
        { subscriber: context.subscriber, channel: context.channel, max, windowMs },
        `rate limit of ${max} per ${windowMs} ms reached on ${context.channel}; skipping until the window ends`,
      );
    }
    return undefined;
  };
}

/**
 * Runs `validate(message, context)` first; if it throws (or rejects) the handler does not run
 * and the error goes on to the dispatcher (or an outer `withErrorHandler`).
 *
 * @example
 * ```ts
 * handle: withValidation(message => { if (!message?.type) throw new Error('Missing type'); }, handler),
 * ```
 */
export function withValidation<TContext extends SubscriberContextLike, TResult>(
  validate: (message: TContext['message'], context: TContext) => unknown,
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
): ContextHandler<TContext, Promise<TResult>> {
  assertFunction(validate, 'withValidation: validate');
  assertFunction(handler, 'withValidation: handler');
  return async function validated(context) {
    await validate(context.message, context);
    return await handler(context);
  };
}

/**
 * Runs `handler` only when `predicate(context)` is true; otherwise resolves to `undefined`.
 *
 * @example
 * ```ts
 * handle: withFilter(context => context.message?.authenticated === true, handler),
 * ```
 */
export function withFilter<TContext extends SubscriberContextLike, TResult>(
  predicate: (context: TContext) => boolean | Promise<boolean>,
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
): ContextHandler<TContext, Promise<TResult | undefined>> {
  assertFunction(predicate, 'withFilter: predicate');
  assertFunction(handler, 'withFilter: handler');
  return async function filtered(context) {
    return (await predicate(context)) ? await handler(context) : undefined;
  };
}

/**
 * Logs `label` and the channel when `handler` starts and when it ends (with its duration) at
 * info level, or a warning when it fails (the error is rethrown). Message bodies are not logged.
 *
 * @example
 * ```ts
 * handle: composeHandlers([withLogging(validate, 'validate'), withLogging(broadcast, 'broadcast')]),
 * ```
 */
export function withLogging<TContext extends SubscriberContextLike, TResult>(
  handler: ContextHandler<TContext, TResult | PromiseLike<TResult>>,
  label: string,
): ContextHandler<TContext, Promise<TResult>> {
  assertFunction(handler, 'withLogging: handler');
  if (typeof label !== 'string' || label === '') {
    throw new TypeError("withLogging(handler, label) needs a non-empty label, like 'broadcast'.");
  }
  return async function logged(context) {
    const logger = context.logger ?? silentLogger;
    const { channel } = context;
    logger.info({ label, channel }, `${label} started on ${channel}`);
    const start = performance.now();
    try {
      const result = await handler(context);
      const durationMs = performance.now() - start;
      logger.info(
        { label, channel, durationMs },
        `${label} finished on ${channel} in ${durationMs.toFixed(1)} ms`,
      );
      return result;
    } catch (thrown) {
      logger.warn({ label, channel, err: toError(thrown) }, `${label} failed on ${channel}`);
      throw thrown;
    }
  };
}

/**
 * Runs `handlers` one after another with the same context, each awaited; the first that throws
 * stops the rest and its error propagates. Resolves to their results, in order.
 *
 * @example
 * ```ts
 * handle: composeHandlers([validateMessage, broadcastMessage, logMetrics]),
 * ```
 */
export function composeHandlers<TContext extends SubscriberContextLike>(
  handlers: readonly ContextHandler<TContext>[],
): ContextHandler<TContext, Promise<unknown[]>> {
  if (!Array.isArray(handlers)) throw new TypeError('composeHandlers expects an array of handlers.');
  for (const [index, handler] of handlers.entries())
    assertFunction(handler, `composeHandlers: handlers[${index}]`);
  const steps = [...handlers];
  return async function composed(context) {
    const results: unknown[] = [];
    for (const step of steps) results.push(await step(context));
    return results;
  };
}
