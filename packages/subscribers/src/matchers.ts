/**
 * Internal: `match` entries, checked once at definition time and turned into tests the
 * dispatcher runs per message.
 */

/** A matcher after `normalizeMatcher`: RegExps are stateless copies, strings are non-empty. */
export type NormalizedMatcher = string | RegExp | ((context: never) => boolean);

/** A compiled matcher: strings and RegExps look at the channel, predicates at the whole context. */
export type MatchTest = (channel: string, context: object) => boolean;

const LABEL = Symbol('roomcast.matcherLabel');

/** Gives a predicate a readable label for `describe()` and the debug printer. */
export function labelPredicate<TFunction extends object>(predicate: TFunction, label: string): TFunction {
  Object.defineProperty(predicate, LABEL, { value: label });
  return predicate;
}

export function normalizeMatcher(matcher: unknown, owner: string): NormalizedMatcher {
  if (typeof matcher === 'string') {
    if (matcher === '')
      throw new TypeError(`${owner}: a match string must not be empty; use '*' for every channel.`);
    return matcher;
  }
  if (matcher instanceof RegExp) {
    // `test` on a /g or /y RegExp moves lastIndex, so the same channel would match every other time.
    const flags = matcher.flags.replace(/[gy]/g, '');
    return flags === matcher.flags ? matcher : new RegExp(matcher.source, flags);
  }
  if (typeof matcher === 'function') return matcher as (context: never) => boolean;
  throw new TypeError(
    `${owner}: match entries must be a string, a RegExp or a predicate (context) => boolean, got ${describeValue(matcher)}.`,
  );
}

export function compileMatcher(matcher: NormalizedMatcher): MatchTest {
  if (typeof matcher === 'function') {
    const predicate = matcher as (context: object) => unknown;
    return function matchPredicate(_channel, context) {
      return Boolean(predicate(context));
    };
  }
  if (matcher === '*') return matchAll;
  const pattern =
    matcher instanceof RegExp ? matcher : matcher.includes('*') ? globToRegExp(matcher) : undefined;
  if (pattern) {
    return function matchPattern(channel) {
      return pattern.test(channel);
    };
  }
  return function matchChannel(channel) {
    return channel === matcher;
  };
}

function matchAll(): boolean {
  return true;
}

export function matcherToString(matcher: NormalizedMatcher): string {
  if (typeof matcher === 'string' || matcher instanceof RegExp) return String(matcher);
  const label = (matcher as { [LABEL]?: string })[LABEL];
  if (label !== undefined) return label;
  return matcher.name ? `${matcher.name}()` : 'predicate()';
}

/** `*` stands for any run of characters; everything else is literal. */
function globToRegExp(glob: string): RegExp {
  const source = glob
    .split('*')
    .map(part => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}
