import { type Logger, silentLogger } from '@roomcast/protocol';
import { toError } from './checks';
import { toDefinition } from './define';
import { compileMatcher, describeValue, type MatchTest, matcherToString } from './matchers';
import { runSubscriber } from './run-subscriber';
import type {
  AnyWebSocketSubscriberConfig,
  AnyWebSocketSubscriberDefinition,
  SubscriberDescription,
} from './types';

/** Keys merged into every handler context; `webSocketServer` is the node-local broadcaster. */
export interface SubscriberContextExtras<TServer = unknown> {
  readonly webSocketServer?: TServer;
  readonly [key: string]: unknown;
}

export interface SubscriberDispatcherOptions<TServer = unknown> {
  /** Receives failures (subscriber name and channel included) and the built-in middleware's lines. */
  logger?: Logger;
  /** Merged into every context: `webSocketServer`, `redisInstance`, `queueManager`, `bus`, ... */
  context?: SubscriberContextExtras<TServer>;
}

type Subscriber = AnyWebSocketSubscriberDefinition | AnyWebSocketSubscriberConfig;

interface Entry {
  readonly definition: AnyWebSocketSubscriberDefinition;
  /** Registration order, the tie-break between equal priorities. */
  readonly order: number;
  readonly tests: readonly MatchTest[];
}

const LOGGER_METHODS = ['debug', 'info', 'warn', 'error'] as const;

/**
 * Runs bus subscribers: exact-channel subscribers are found through a Map, `match` subscribers
 * are tested per message, and all that apply run one after another by priority (higher first,
 * registration order for ties), each through its middleware. A failure is logged with the
 * subscriber's name and channel and never stops the others; `dispatch` never rejects.
 *
 * @example
 * ```ts
 * const dispatcher = new SubscriberDispatcher({ logger, context: { webSocketServer: server.local } });
 * dispatcher.add(await loadSubscribersFromDirectory('./src/websocket/subscribers'));
 * await dispatcher.dispatch('custom', { type: 'custom', action: 'ping' });
 * ```
 */
export class SubscriberDispatcher<TServer = unknown> {
  readonly #logger: Logger;
  readonly #context: SubscriberContextExtras<TServer>;
  readonly #byChannel = new Map<string, Entry[]>();
  readonly #matching: Entry[] = [];
  readonly #all: Entry[] = [];

  constructor(options: SubscriberDispatcherOptions<TServer> = {}) {
    const { logger = silentLogger, context = {} } = options;
    if (LOGGER_METHODS.some(method => typeof logger?.[method] !== 'function')) {
      throw new TypeError(
        'SubscriberDispatcher: logger must have debug, info, warn and error methods (pino works).',
      );
    }
    if (typeof context !== 'object' || context === null || Array.isArray(context)) {
      throw new TypeError(
        `SubscriberDispatcher: context must be an object of keys for every handler, got ${describeValue(context)}.`,
      );
    }
    this.#logger = logger;
    this.#context = { ...context };
  }

  /** Registers definitions (or plain configs, checked now). All are checked before any is added. */
  add(subscribers: Subscriber | readonly Subscriber[]): this {
    const list: readonly unknown[] = Array.isArray(subscribers) ? subscribers : [subscribers];
    const definitions = list.map(toDefinition);
    for (const definition of definitions) {
      const entry: Entry = {
        definition,
        order: this.#all.length,
        tests: definition.match.map(compileMatcher),
      };
      this.#all.push(entry);
      if (entry.tests.length > 0) this.#matching.push(entry);
      for (const channel of definition.channels) {
        const entries = this.#byChannel.get(channel);
        if (entries) entries.push(entry);
        else this.#byChannel.set(channel, [entry]);
      }
    }
    return this;
  }

  get hasSubscribers(): boolean {
    return this.#all.length > 0;
  }

  /** The exact channels some subscriber listens on (not the `match` ones), in registration order. */
  channels(): string[] {
    return [...this.#byChannel.keys()];
  }

  /** One row per subscriber, in the order they run. */
  describe(): SubscriberDescription[] {
    return [...this.#all].sort(byPriority).map(({ definition }) => ({
      name: definition.name,
      channels: [...definition.channels],
      match: definition.match.map(matcherToString),
      priority: definition.priority,
      ...(definition.description === undefined ? {} : { description: definition.description }),
    }));
  }

  /** Logs the subscriber table at info level (the `debug` printer). */
  print(logger: Logger = this.#logger): void {
    const rows = this.describe();
    logger.info({ subscribers: rows.length }, `WebSocket subscribers: ${rows.length}`);
    for (const row of rows) {
      const targets = [...row.channels, ...row.match].join(', ');
      const about = row.description === undefined ? '' : ` - ${row.description}`;
      logger.info({ subscriber: row }, `  ${row.name} <- ${targets} (priority ${row.priority})${about}`);
    }
  }

  /**
   * Runs every subscriber that applies to `channel`/`message`; resolves when all have run.
   * `extra` adds keys to this message's context (over the constructor's `context`).
   */
  async dispatch(
    channel: string,
    message: unknown,
    extra?: Readonly<Record<string, unknown>>,
  ): Promise<void> {
    if (this.#all.length === 0) return;
    const context = { ...this.#context, ...extra, channel, message, logger: this.#logger };
    const exact = this.#byChannel.get(channel) ?? [];
    const matched = this.#matching.filter(entry => this.#matches(entry, context));
    // A copy either way: an `add` while handlers await must not change this message's list.
    const entries = [...exact, ...matched].sort(byPriority);
    for (const { definition } of entries) {
      // A fresh context per subscriber: middleware keying state on it (timing) never collides.
      await runSubscriber(definition, { ...context, subscriber: definition.name }, this.#logger);
    }
  }

  #matches(entry: Entry, context: Record<string, unknown> & { channel: string }): boolean {
    try {
      return entry.tests.some(test => test(context.channel, context));
    } catch (thrown) {
      const subscriber = entry.definition.name;
      this.#logger.error(
        { subscriber, channel: context.channel, err: toError(thrown) },
        `match predicate of subscriber ${subscriber} failed on ${context.channel}; skipped`,
      );
      return false;
    }
  }
}

function byPriority(a: Entry, b: Entry): number {
  return b.definition.priority - a.definition.priority || a.order - b.order;
}
