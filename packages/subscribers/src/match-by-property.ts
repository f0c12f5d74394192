import { assertFunction } from './checks';
import { labelPredicate } from './matchers';
import type { SubscriberValue } from './types';

/** A `match` predicate that looks only at the message, so it fits any subscriber. */
export type MessagePredicate = (context: { readonly message: unknown }) => boolean;

function readProperty(message: unknown, key: string): { found: boolean; value?: unknown } {
  if (typeof message !== 'object' || message === null || !Object.hasOwn(message, key)) {
    return { found: false };
  }
  return { found: true, value: (message as Record<string, unknown>)[key] };
}

function assertKey(key: unknown, owner: string): void {
  if (typeof key !== 'string' || key === '') {
    throw new TypeError(`${owner}: key must be a non-empty property name, got ${String(key)}.`);
  }
}

/**
 * Matches messages whose own property `key` is exactly (`===`) `value`.
 *
 * @example
 * ```ts
 * export default defineWebSocketSubscriber({
 *   match: matchByProperty('type', 'analytics'),
 *   handle: ({ message }) => track(message),
 * });
 * ```
 */
export function matchByProperty(key: string, value: unknown): MessagePredicate {
  assertKey(key, 'matchByProperty');
  return labelPredicate(
    function byProperty({ message }: { readonly message: unknown }): boolean {
      const read = readProperty(message, key);
      return read.found && read.value === value;
    },
    `${key} === ${JSON.stringify(value) ?? String(value)}`,
  );
}

/**
 * Matches messages whose own property `key` passes `predicate`. Messages without the property
 * (or that are not objects) never match, so the predicate never sees a missing value.
 *
 * @example
 * ```ts
 * export default defineWebSocketSubscriber({
 *   match: matchByPropertyPredicate('priority', value => value > 5),
 *   handle: ({ message }) => escalate(message),
 * });
 * ```
 */
export function matchByPropertyPredicate<TValue = SubscriberValue>(
  key: string,
  predicate: (value: TValue) => boolean,
): MessagePredicate {
  assertKey(key, 'matchByPropertyPredicate');
  assertFunction(predicate, 'matchByPropertyPredicate: predicate');
  return labelPredicate(
    function byPropertyPredicate({ message }: { readonly message: unknown }): boolean {
      const read = readProperty(message, key);
      return read.found && Boolean(predicate(read.value as TValue));
    },
    `${predicate.name || 'predicate'}(${key})`,
  );
}
