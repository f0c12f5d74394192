import { assertFunction } from './checks';
import { describeValue, matcherToString, type NormalizedMatcher, normalizeMatcher } from './matchers';
import type {
  AnyWebSocketSubscriberDefinition,
  SubscriberMessage,
  SubscriberServer,
  WebSocketSubscriberConfig,
  WebSocketSubscriberDefinition,
} from './types';

// Symbol.for, not a module-local symbol: a definition made by one copy of this package (an app's
// own install) must still be recognized by the copy the server uses.
const DEFINITION = Symbol.for('roomcast.subscriberDefinition');
const TARGET_KEYS = ['channel', 'channels', 'match'] as const;
const HOOKS = ['onBefore', 'onAfter', 'onError'] as const;
/** `'*'` alone, in `channel`, `channels` or `match`, is every channel (the guide's Troubleshooting). */
const EVERY_CHANNEL = '*';

/**
 * Checks and normalizes a bus subscriber: exactly one of `channel`, `channels` (exact channel
 * names, or `'*'` for every channel) or `match` (strings with `*` wildcards, RegExps, predicates,
 * or an array of them), a
 * `handle` function, and optional `priority` (higher first), `name`, `description`, `middleware`.
 * Throws a TypeError saying what to fix; returns a frozen definition for a dispatcher.
 *
 * @example
 * ```ts
 * export default defineWebSocketSubscriber({
 *   name: 'statusRelay',
 *   channel: WebSocketRedisSubscriberEvent.Custom,
 *   handle: ({ message, webSocketServer }) => webSocketServer.sendMessageToAll({ data: message }),
 * });
 * ```
 */
export function defineWebSocketSubscriber<TServer = SubscriberServer, TMessage = SubscriberMessage>(
  config: WebSocketSubscriberConfig<TServer, TMessage>,
  // NoInfer: inside `dispatcher.add([...])` the expected type is a definition of `never`
  // contexts, which would otherwise become the handler's message type.
): NoInfer<WebSocketSubscriberDefinition<TServer, TMessage>> {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new TypeError(
      `defineWebSocketSubscriber expects an object like { channel, handle }, got ${describeValue(config)}.`,
    );
  }
  const raw = config as unknown as Record<string, unknown>;
  const owner = `defineWebSocketSubscriber(${typeof raw.name === 'string' ? raw.name : 'unnamed'})`;
  const targets = TARGET_KEYS.filter(key => raw[key] !== undefined);
  if (targets.length !== 1) {
    throw new TypeError(
      targets.length === 0
        ? `${owner} needs one of channel, channels or match to say which bus messages it handles.`
        : `${owner} takes exactly one of channel, channels or match; got ${targets.join(' and ')}. Use match with an array to combine several.`,
    );
  }
  if (typeof raw.handle !== 'function') {
    const hint = typeof raw.handler === 'function' ? ' (the key is handle, not handler)' : '';
    throw new TypeError(`${owner} needs a handle function: handle: ({ channel, message }) => {...}${hint}.`);
  }
  const channels = raw.channel !== undefined ? [raw.channel] : raw.channels;
  const exact = channels === undefined ? [] : readChannels(channels, owner);
  // Every channel covers the exact ones: listed twice, a handler would run twice per message.
  const every = exact.includes(EVERY_CHANNEL);
  const definition = {
    name: readName(raw, owner),
    ...(raw.description === undefined ? {} : { description: readDescription(raw.description, owner) }),
    priority: readPriority(raw.priority, owner),
    channels: Object.freeze(every ? [] : exact),
    match: Object.freeze(
      every ? [EVERY_CHANNEL] : raw.match === undefined ? [] : readMatch(raw.match, owner),
    ),
    middleware: Object.freeze(readMiddleware(raw.middleware, owner)),
    handle: raw.handle,
  };
  if (definition.name === '') definition.name = defaultName(definition.channels, definition.match);
  Object.defineProperty(definition, DEFINITION, { value: raw.name !== undefined });
  return Object.freeze(definition) as unknown as WebSocketSubscriberDefinition<TServer, TMessage>;
}

/** True for what `defineWebSocketSubscriber` returned (by this or another copy of the package). */
export function isWebSocketSubscriberDefinition(value: unknown): value is AnyWebSocketSubscriberDefinition {
  return typeof value === 'object' && value !== null && DEFINITION in value;
}

/** Internal: a definition as is, or a plain config object normalized (and checked) now. */
export function toDefinition(value: unknown): AnyWebSocketSubscriberDefinition {
  if (isWebSocketSubscriberDefinition(value)) return value;
  return defineWebSocketSubscriber(value as WebSocketSubscriberConfig) as AnyWebSocketSubscriberDefinition;
}

/** Internal: names a definition that was given no name (the loader uses the file name). */
export function withDefaultName(
  definition: AnyWebSocketSubscriberDefinition,
  name: string,
): AnyWebSocketSubscriberDefinition {
  if ((definition as unknown as Record<symbol, boolean>)[DEFINITION]) return definition;
  const { channels, match, ...rest } = definition;
  const target = channels.length > 0 ? { channels } : { match };
  return defineWebSocketSubscriber({ ...rest, ...target, name } as WebSocketSubscriberConfig<never, never>);
}

function readName(raw: Record<string, unknown>, owner: string): string {
  if (raw.name === undefined) return '';
  if (typeof raw.name !== 'string' || raw.name.trim() === '') {
    throw new TypeError(`${owner}: name must be a non-empty string, got ${describeValue(raw.name)}.`);
  }
  return raw.name;
}

function readDescription(description: unknown, owner: string): string {
  if (typeof description !== 'string') {
    throw new TypeError(`${owner}: description must be a string, got ${describeValue(description)}.`);
  }
  return description;
}

function readPriority(priority: unknown, owner: string): number {
  if (priority === undefined) return 0;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) {
    throw new TypeError(
      `${owner}: priority must be a finite number (higher runs first), got ${String(priority)}.`,
    );
  }
  return priority;
}

function readChannels(channels: unknown, owner: string): string[] {
  const list = Array.isArray(channels) ? channels : [channels];
  if (list.length === 0) throw new TypeError(`${owner}: channels must list at least one channel name.`);
  for (const channel of list) {
    if (typeof channel !== 'string' || channel === '') {
      throw new TypeError(
        `${owner}: channel names must be non-empty strings, got ${describeValue(channel)}.`,
      );
    }
    if (channel.includes('*') && channel !== EVERY_CHANNEL) {
      throw new TypeError(
        `${owner}: channel '${channel}' has a wildcard; channel names are exact, use match: '${channel}'.`,
      );
    }
  }
  return [...new Set<string>(list)];
}

function readMatch(match: unknown, owner: string) {
  const list: unknown[] = Array.isArray(match) ? match : [match];
  if (list.length === 0) throw new TypeError(`${owner}: match must not be an empty array.`);
  return list.map(matcher => normalizeMatcher(matcher, owner));
}

function readMiddleware(middleware: unknown, owner: string) {
  if (middleware === undefined) return [];
  if (!Array.isArray(middleware)) {
    throw new TypeError(`${owner}: middleware must be an array like [loggingMiddleware('name')].`);
  }
  return middleware.map((entry: unknown, index) => {
    const where = `${owner}: middleware[${index}]`;
    if (typeof entry !== 'object' || entry === null) {
      throw new TypeError(`${where} must be an object { name, onBefore?, onAfter?, onError? }.`);
    }
    const item = entry as Record<string, unknown>;
    if (typeof item.name !== 'string' || item.name === '') throw new TypeError(`${where} needs a name.`);
    for (const hook of HOOKS) if (item[hook] !== undefined) assertFunction(item[hook], `${where}.${hook}`);
    return entry;
  }) as AnyWebSocketSubscriberDefinition['middleware'][number][];
}

function defaultName(channels: readonly string[], match: readonly NormalizedMatcher[]): string {
  return channels.length > 0 ? channels.join(',') : `match(${match.map(matcherToString).join(', ')})`;
}
