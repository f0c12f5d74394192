import { type Logger, silentLogger } from '@roomcast/protocol';
import { fixedWindow } from './fixed-window';
import type { SubscriberContextLike, WebSocketSubscriberMiddleware } from './types';

/** Built-ins work with any server and message type. */
type AnyMiddleware = WebSocketSubscriberMiddleware<unknown, unknown>;

function loggerOf(context: SubscriberContextLike): Logger {
  return context.logger ?? silentLogger;
}

/**
 * Logs each run of the subscriber at info level: when it starts, when it is done, and when it
 * fails (the dispatcher logs the error itself). Message bodies are never logged.
 *
 * @example
 * ```ts
 * defineWebSocketSubscriber({ channels: ['updates'], handle, middleware: [loggingMiddleware('updatesBroadcaster')] });
 * ```
 */
export function loggingMiddleware(name: string): AnyMiddleware {
  if (typeof name !== 'string' || name === '') {
    throw new TypeError(
      "loggingMiddleware(name) needs a non-empty name to tag its lines, like 'updatesBroadcaster'.",
    );
  }
  return {
    name: `logging:${name}`,
    onBefore: function logStart(context) {
      loggerOf(context).info(
        { subscriber: name, channel: context.channel },
        `${name} handling ${context.channel}`,
      );
      return true;
    },
    onAfter: function logDone(context) {
      loggerOf(context).info(
        { subscriber: name, channel: context.channel },
        `${name} done on ${context.channel}`,
      );
    },
    onError: function logFailure(context, error) {
      loggerOf(context).info(
        { subscriber: name, channel: context.channel, error: error.message },
        `${name} failed on ${context.channel}`,
      );
      return false;
    },
  };
}

/**
 * Logs how long the handler took, in milliseconds, at info level (after success and after a
 * failure). Uses the monotonic clock.
 *
 * @example
 * ```ts
 * defineWebSocketSubscriber({ channel: 'reports', handle, middleware: [timingMiddleware()] });
 * ```
 */
export function timingMiddleware(): AnyMiddleware {
  // Keyed by the context object: the dispatcher gives each run its own, so overlapping runs of
  // the same subscriber keep separate clocks.
  const started = new WeakMap<object, number>();
  const report = (context: SubscriberContextLike, outcome: string): void => {
    const start = started.get(context);
    if (start === undefined) return;
    started.delete(context);
    const durationMs = performance.now() - start;
    const subscriber = context.subscriber ?? 'subscriber';
    loggerOf(context).info(
      { subscriber, channel: context.channel, durationMs, outcome },
      `${subscriber} ${outcome} on ${context.channel} in ${durationMs.toFixed(1)} ms`,
    );
  };
  return {
    name: 'timing',
    onBefore: function startTimer(context) {
      started.set(context, performance.now());
      return true;
    },
    onAfter: function stopTimer(context) {
      report(context, 'succeeded');
    },
    onError: function stopTimerOnError(context) {
      report(context, 'failed');
      return false;
    },
  };
}

/**
 * Lets the handler run at most `max` times per fixed window of `windowMs` (counted across every
 * channel of the subscriber); over the limit the handler is skipped. A warning is logged once per
 * window, on the first skip, so a flood does not flood the logs too.
 *
 * @example
 * ```ts
 * defineWebSocketSubscriber({ channel: 'updates', handle, middleware: [rateLimitMiddleware(10, 60_000)] });
 * ```
 */
export function rateLimitMiddleware(max: number, windowMs: number): AnyMiddleware {
  const take = fixedWindow(max, windowMs, 'rateLimitMiddleware');
  return {
    name: 'rateLimit',
    onBefore: function rateLimit(context) {
      const refused = take();
      if (refused === 1) {
        const subscriber = context.subscriber ?? 'subscriber';
        loggerOf(context).warn(
          { subscriber, channel: context.channel, max, windowMs },
          `${subscriber} over its rate limit (${max} per ${windowMs} ms); skipping until the window ends`,
        );
      }
      return refused === 0;
    },
  };
}
