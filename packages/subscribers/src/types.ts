import type { Logger, UserId } from '@roomcast/protocol';

/**
 * A value whose shape the application decides: a field of a bus message, a queue manager, a
 * database client. Loose on purpose: the guide's handlers read `message.type`, compare
 * `value > 5` and call `queueManager.add(...)` without casts, which `unknown` or a JSON type
 * rejects. Pass your own `TMessage` to `defineWebSocketSubscriber` for checked messages.
 */
// biome-ignore lint/suspicious/noExplicitAny: app-defined values; see the comment above.
export type SubscriberValue = any;

/** A bus message as published (`server.publish`, `sendCustomMessage`): app-defined JSON. */
export type SubscriberMessage = { readonly [key: string]: SubscriberValue };

/** What a `broadcastToAllClients` predicate sees of each local client. */
export interface SubscriberClientView {
  readonly clientId: string;
  readonly userData?: SubscriberMessage | undefined;
}

/**
 * The guide's broadcast calls, as the server's node-local broadcaster offers them. It is the
 * default `webSocketServer` type so the guide's handlers type-check; a server passes its own type
 * through the `TServer` parameter. Method syntax keeps parameters bivariant, so a server whose
 * options are wider or narrower still fits.
 */
export interface SubscriberServer {
  sendMessageToAll(options: { data: unknown }): unknown;
  sendCustomMessage(options: { data: unknown }): unknown;
  broadcastToAllClients(options: {
    data: unknown;
    excludeClientId?: string;
    predicate?: (client: SubscriberClientView) => boolean;
  }): unknown;
  broadcastToRoom(options: { roomName: string; data: unknown; excludeClientId?: string }): unknown;
  broadcastToUsers(options: { userIds: readonly UserId[]; data: unknown; excludeClientId?: string }): unknown;
  broadcastToClient(options: { clientId: string; data: unknown }): unknown;
}

/**
 * What a handler, a `match` predicate and a middleware receive: the channel and message, the
 * dispatcher's logger, and every key the dispatcher's `context` option provides.
 */
export interface WebSocketSubscriberContext<TServer = SubscriberServer, TMessage = SubscriberMessage> {
  readonly channel: string;
  readonly message: TMessage;
  readonly webSocketServer: TServer;
  readonly logger: Logger;
  /** The running subscriber's name (absent while `match` predicates are evaluated). */
  readonly subscriber?: string;
  readonly redisInstance?: SubscriberValue;
  readonly queueManager?: SubscriberValue;
  readonly databaseInstance?: SubscriberValue;
  readonly [key: string]: unknown;
}

/** The least a context-taking helper needs; every `WebSocketSubscriberContext` has it. */
export interface SubscriberContextLike {
  readonly channel: string;
  readonly message: unknown;
  readonly logger?: Logger;
  readonly subscriber?: string;
}

export type WebSocketSubscriberHandler<TServer = SubscriberServer, TMessage = SubscriberMessage> = (
  context: WebSocketSubscriberContext<TServer, TMessage>,
) => unknown;

export type SubscriberPredicate<TServer = SubscriberServer, TMessage = SubscriberMessage> = (
  context: WebSocketSubscriberContext<TServer, TMessage>,
) => boolean;

/**
 * One `match` entry: a channel name (`*` is a wildcard, `'*'` alone matches every channel), a
 * RegExp tested against the channel, or a predicate over the context.
 */
export type SubscriberMatcher<TServer = SubscriberServer, TMessage = SubscriberMessage> =
  | string
  | RegExp
  | SubscriberPredicate<TServer, TMessage>;

export interface WebSocketSubscriberMiddleware<TServer = SubscriberServer, TMessage = SubscriberMessage> {
  readonly name: string;
  /** Runs before the handler; returning `false` skips the handler and the rest of the chain. */
  readonly onBefore?: (context: WebSocketSubscriberContext<TServer, TMessage>) => boolean | Promise<boolean>;
  /** Runs after the handler returned, with what it returned. */
  readonly onAfter?: (
    context: WebSocketSubscriberContext<TServer, TMessage>,
    result: unknown,
  ) => void | Promise<void>;
  /** Runs when the handler throws; returning `true` suppresses the error log. */
  readonly onError?: (
    context: WebSocketSubscriberContext<TServer, TMessage>,
    error: Error,
  ) => boolean | Promise<boolean>;
}

interface SubscriberCommon<TServer, TMessage> {
  handle: WebSocketSubscriberHandler<TServer, TMessage>;
  /** Higher runs first; equal priorities run in registration order. Default 0. */
  priority?: number;
  name?: string;
  description?: string;
  // NoInfer: the context types come from `handle` alone, so a generic helper (matchByProperty,
  // loggingMiddleware) never widens them to `unknown`.
  middleware?: readonly NoInfer<WebSocketSubscriberMiddleware<TServer, TMessage>>[];
}

/** What `defineWebSocketSubscriber` takes: exactly one of `channel`, `channels`, `match`. */
export type WebSocketSubscriberConfig<
  TServer = SubscriberServer,
  TMessage = SubscriberMessage,
> = SubscriberCommon<TServer, TMessage> &
  (
    | { channel: string; channels?: never; match?: never }
    | { channels: readonly string[]; channel?: never; match?: never }
    | {
        match: NoInfer<
          SubscriberMatcher<TServer, TMessage> | readonly SubscriberMatcher<TServer, TMessage>[]
        >;
        channel?: never;
        channels?: never;
      }
  );

/** A normalized, frozen subscriber: `channels` (exact names) or `match`, never both. */
export interface WebSocketSubscriberDefinition<TServer = SubscriberServer, TMessage = SubscriberMessage> {
  readonly name: string;
  readonly description?: string;
  readonly priority: number;
  readonly channels: readonly string[];
  readonly match: readonly SubscriberMatcher<TServer, TMessage>[];
  readonly middleware: readonly WebSocketSubscriberMiddleware<TServer, TMessage>[];
  readonly handle: WebSocketSubscriberHandler<TServer, TMessage>;
}

/**
 * A definition of any server and message type. `never` context types accept every handler, which
 * is what a dispatcher fed by a directory of modules needs.
 */
export type AnyWebSocketSubscriberDefinition = WebSocketSubscriberDefinition<never, never>;

/** A `defineWebSocketSubscriber` input of any server and message type. */
export type AnyWebSocketSubscriberConfig = WebSocketSubscriberConfig<never, never>;

/** One row of `SubscriberDispatcher.describe()`, for a debug printer. */
export interface SubscriberDescription {
  readonly name: string;
  readonly channels: readonly string[];
  readonly match: readonly string[];
  readonly priority: number;
  readonly description?: string;
}
