import type { Logger } from '@roomcast/protocol';
import { toError } from './checks';
import type { AnyWebSocketSubscriberDefinition } from './types';

type Context = Record<string, unknown> & { readonly channel: string };
type Middleware = AnyWebSocketSubscriberDefinition['middleware'][number];
type Hook = (...args: unknown[]) => unknown;

/**
 * Internal: runs one subscriber for one message through its middleware. Never throws: every
 * failure ends in a log line naming the subscriber and channel, so one handler cannot stop the
 * others or the node.
 *
 * - `onBefore` hooks run in order; the first `false` skips the handler. A throwing `onBefore`
 *   skips it too (fail closed: it may have been an auth check).
 * - `onAfter` hooks run in order after the handler returned, each isolated from the others.
 * - `onError` hooks all run in order when the handler throws; if one returns `true`, the error is
 *   not logged.
 */
export async function runSubscriber(
  definition: AnyWebSocketSubscriberDefinition,
  context: Context,
  logger: Logger,
): Promise<void> {
  const run: Run = { definition, context, logger };
  const { middleware } = definition;
  for (const entry of middleware) {
    if (!entry.onBefore) continue;
    try {
      if ((await callHook(entry, 'onBefore', context)) === false) return;
    } catch (thrown) {
      logHookFailure(run, entry, thrown);
      return;
    }
  }
  let result: unknown;
  try {
    result = await (definition.handle as Hook)(context);
  } catch (thrown) {
    const error = toError(thrown);
    if (!(await suppressedByMiddleware(run, error))) {
      logger.error(
        { subscriber: definition.name, channel: context.channel, err: error },
        `subscriber ${definition.name} failed on ${context.channel}`,
      );
    }
    return;
  }
  for (const entry of middleware) {
    if (!entry.onAfter) continue;
    try {
      await callHook(entry, 'onAfter', context, result);
    } catch (thrown) {
      logHookFailure(run, entry, thrown);
    }
  }
}

interface Run {
  readonly definition: AnyWebSocketSubscriberDefinition;
  readonly context: Context;
  readonly logger: Logger;
}

async function suppressedByMiddleware(run: Run, error: Error): Promise<boolean> {
  let suppressed = false;
  for (const entry of run.definition.middleware) {
    if (!entry.onError) continue;
    try {
      if ((await callHook(entry, 'onError', run.context, error)) === true) suppressed = true;
    } catch (thrown) {
      logHookFailure(run, entry, thrown);
    }
  }
  return suppressed;
}

/** Called as a method so middleware written with `this` (a class instance) keeps it. */
function callHook(entry: Middleware, hook: 'onBefore' | 'onAfter' | 'onError', ...args: unknown[]): unknown {
  return (entry as unknown as Record<typeof hook, Hook>)[hook](...args);
}

function logHookFailure(run: Run, entry: Middleware, thrown: unknown): void {
  const subscriber = run.definition.name;
  const { channel } = run.context;
  run.logger.error(
    { subscriber, channel, middleware: entry.name, err: toError(thrown) },
    `middleware ${entry.name} of subscriber ${subscriber} failed on ${channel}`,
  );
}
