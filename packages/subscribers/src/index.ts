export { WebSocketRedisSubscriberEvent } from '@roomcast/protocol';
export { defineWebSocketSubscriber, isWebSocketSubscriberDefinition } from './define';
export type { SubscriberContextExtras, SubscriberDispatcherOptions } from './dispatcher';
export { SubscriberDispatcher } from './dispatcher';
export { loadSubscribersFromDirectory } from './load-directory';
export type { MessagePredicate } from './match-by-property';
export { matchByProperty, matchByPropertyPredicate } from './match-by-property';
export { loggingMiddleware, rateLimitMiddleware, timingMiddleware } from './middleware';
export type {
  AnyWebSocketSubscriberConfig,
  AnyWebSocketSubscriberDefinition,
  SubscriberClientView,
  SubscriberContextLike,
  SubscriberDescription,
  SubscriberMatcher,
  SubscriberMessage,
  SubscriberPredicate,
  SubscriberServer,
  SubscriberValue,
  WebSocketSubscriberConfig,
  WebSocketSubscriberContext,
  WebSocketSubscriberDefinition,
  WebSocketSubscriberHandler,
  WebSocketSubscriberMiddleware,
} from './types';
export type { ContextHandler } from './utilities';
export {
  composeHandlers,
  withErrorHandler,
  withFilter,
  withLogging,
  withRateLimit,
  withValidation,
} from './utilities';
export { withRetry } from './with-retry';
