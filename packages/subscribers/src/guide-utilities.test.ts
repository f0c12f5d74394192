// The guide's "Subscriber Utilities" examples, with their code unchanged except imports and a
// `WebSocketSubscriberHandler` annotation on the stand-alone handlers (strict TS needs one).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setup } from '../test/fakes';
import {
  composeHandlers,
  defineWebSocketSubscriber,
  matchByProperty,
  matchByPropertyPredicate,
  type WebSocketSubscriberHandler,
  withErrorHandler,
  withFilter,
  withLogging,
  withRateLimit,
  withRetry,
  withValidation,
} from './index';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('guide: Creating Matchers', () => {
  it('matchByProperty, matchByPropertyPredicate and a combined match select the right messages', async () => {
    const seen: string[] = [];
    const { dispatcher } = setup();
    dispatcher.add([
      defineWebSocketSubscriber({
        match: matchByProperty('type', 'analytics'),
        handle: ({ message }) => {
          seen.push(`type:${message.id}`);
        },
      }),
      defineWebSocketSubscriber({
        match: matchByPropertyPredicate('priority', value => value > 5),
        handle: ({ message }) => {
          seen.push(`priority:${message.id}`);
        },
      }),
      defineWebSocketSubscriber({
        match: [/^analytics:/, matchByProperty('userId', 123)],
        handle: ({ message }) => {
          seen.push(`combined:${message.id}`);
        },
      }),
    ]);
    await dispatcher.dispatch('events', { id: 1, type: 'analytics' });
    await dispatcher.dispatch('events', { id: 2, priority: 9 });
    await dispatcher.dispatch('events', { id: 3, priority: 2, userId: 123 });
    await dispatcher.dispatch('analytics:click', { id: 4 });
    await dispatcher.dispatch('events', { id: 5, type: 'other', userId: '123' });
    expect(seen).toEqual(['type:1', 'priority:2', 'combined:3', 'combined:4']);
  });
});

describe('guide: Error Handling', () => {
  it('gives the error and the context to onError instead of the dispatcher log', async () => {
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const handler: WebSocketSubscriberHandler = async ({ webSocketServer, message }) => {
      // Your handler logic
      webSocketServer.broadcastToRoom({ roomName: message.room, data: message });
      throw new Error('room is gone');
    };
    const subscriber = defineWebSocketSubscriber({
      channel: 'custom',
      handle: withErrorHandler(handler, (error, context) => {
        console.error(`Error in channel ${context.channel}:`, error.message);
        // Send error notification to client
      }),
    });
    const { dispatcher, errors } = setup();
    dispatcher.add(subscriber);
    await dispatcher.dispatch('custom', { room: 'general' });
    expect(consoleError).toHaveBeenCalledExactlyOnceWith('Error in channel custom:', 'room is gone');
    expect(errors()).toEqual([]);
  });
});

describe('guide: Rate Limiting', () => {
  it('runs at most 10 times a minute, reports the rest, and opens again in the next window', async () => {
    vi.useFakeTimers();
    const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    const handler: WebSocketSubscriberHandler = async ({ webSocketServer }) => {
      webSocketServer.broadcastToAllClients({
        data: {
          /* ... */
        },
      });
    };
    const subscriber = defineWebSocketSubscriber({
      channel: 'updates',
      handle: withRateLimit(
        handler,
        10, // max executions
        60000, // 1 minute window
        context => {
          console.log('Rate limit exceeded for channel:', context.channel);
        },
      ),
    });
    const { dispatcher, server } = setup();
    dispatcher.add(subscriber);
    for (let i = 0; i < 12; i += 1) await dispatcher.dispatch('updates', {});
    expect(server.broadcastToAllClients).toHaveBeenCalledTimes(10);
    expect(consoleLog.mock.calls).toEqual([
      ['Rate limit exceeded for channel:', 'updates'],
      ['Rate limit exceeded for channel:', 'updates'],
    ]);
    vi.advanceTimersByTime(60_000);
    await dispatcher.dispatch('updates', {});
    expect(server.broadcastToAllClients).toHaveBeenCalledTimes(11);
  });
});

describe('guide: Retry Logic', () => {
  it('retries a failing database call with 1 s then 2 s delays until it succeeds', async () => {
    vi.useFakeTimers();
    const databaseInstance = {
      query: vi
        .fn()
        .mockRejectedValueOnce(new Error('connection reset'))
        .mockRejectedValueOnce(new Error('connection reset'))
        .mockResolvedValue([{ id: 1 }]),
    };
    const handler: WebSocketSubscriberHandler = async ({ databaseInstance }) => {
      // Attempt database operation
      const result = await databaseInstance.query('SELECT ...');
      return result;
    };
    const subscriber = defineWebSocketSubscriber({
      channel: 'database-sync',
      handle: withRetry(
        handler,
        3, // max retries
        1000, // initial delay (1 second)
        2, // backoff multiplier (exponential)
      ),
    });
    const { dispatcher, errors } = setup({ databaseInstance });
    dispatcher.add(subscriber);
    const done = dispatcher.dispatch('database-sync', {});
    await vi.advanceTimersByTimeAsync(999);
    expect(databaseInstance.query).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(databaseInstance.query).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1999);
    expect(databaseInstance.query).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(databaseInstance.query).toHaveBeenCalledTimes(3);
    await done;
    expect(errors()).toEqual([]);
  });
});

describe('guide: Validation', () => {
  const handler: WebSocketSubscriberHandler = async ({ message, webSocketServer }) => {
    webSocketServer.broadcastToAllClients({
      data: message,
    });
  };
  const subscriber = defineWebSocketSubscriber({
    channel: 'messages',
    handle: withValidation(message => {
      // Validate message structure
      if (!message?.type) throw new Error('Missing type');
      if (!message?.action) throw new Error('Missing action');
      if (!message?.data) throw new Error('Missing data');
    }, handler),
  });

  it('broadcasts a complete message', async () => {
    const { dispatcher, server } = setup();
    dispatcher.add(subscriber);
    const message = { type: 'chat', action: 'send', data: { text: 'hi' } };
    await dispatcher.dispatch('messages', message);
    expect(server.calls).toEqual([{ method: 'broadcastToAllClients', options: { data: message } }]);
  });

  it('does not run the handler for an invalid message, and logs why', async () => {
    const { dispatcher, server, errors } = setup();
    dispatcher.add(subscriber);
    await dispatcher.dispatch('messages', { type: 'chat', data: {} });
    expect(server.calls).toEqual([]);
    expect(errors().map(line => (line.fields.err as Error).message)).toEqual(['Missing action']);
  });
});

describe('guide: Conditional Execution', () => {
  const handler: WebSocketSubscriberHandler = async ({ webSocketServer, message }) => {
    // Only broadcast to authenticated users
    webSocketServer.broadcastToAllClients({
      data: message,
      predicate: ({ userData }) => !!userData?.userId,
    });
  };
  const subscriber = defineWebSocketSubscriber({
    channel: 'protected',
    handle: withFilter(context => {
      // Only execute if conditions are met
      return context.message?.authenticated === true;
    }, handler),
  });

  it('broadcasts authenticated messages to clients with a user only', async () => {
    const { dispatcher, server } = setup();
    dispatcher.add(subscriber);
    await dispatcher.dispatch('protected', { authenticated: false });
    await dispatcher.dispatch('protected', { authenticated: true, text: 'hi' });
    expect(server.broadcastToAllClients).toHaveBeenCalledTimes(1);
    const [options] = server.broadcastToAllClients.mock.calls[0] as [
      { data: unknown; predicate: (client: { clientId: string; userData?: object }) => boolean },
    ];
    expect(options.data).toEqual({ authenticated: true, text: 'hi' });
    expect(options.predicate({ clientId: 'a', userData: { userId: 7 } })).toBe(true);
    expect(options.predicate({ clientId: 'b' })).toBe(false);
  });
});

describe('guide: Composing Handlers', () => {
  const validateMessage: WebSocketSubscriberHandler = async ({ message }) => {
    if (!message?.data) throw new Error('Invalid message');
  };
  const broadcastMessage: WebSocketSubscriberHandler = async ({ webSocketServer, message }) => {
    webSocketServer.broadcastToAllClients({ data: message });
  };
  const logMetrics: WebSocketSubscriberHandler = async ({ channel, message }) => {
    console.log(`Processed message on ${channel}:`, message.type);
  };
  const subscriber = defineWebSocketSubscriber({
    channel: 'analytics',
    handle: composeHandlers([
      withLogging(validateMessage, 'validate'),
      withLogging(broadcastMessage, 'broadcast'),
      withLogging(logMetrics, 'metrics'),
    ]),
  });

  it('validates, broadcasts and records metrics in order, logging each step', async () => {
    const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { dispatcher, server, lines } = setup();
    dispatcher.add(subscriber);
    await dispatcher.dispatch('analytics', { type: 'pageview', data: { page: '/' } });
    expect(server.broadcastToAllClients).toHaveBeenCalledWith({
      data: { type: 'pageview', data: { page: '/' } },
    });
    expect(consoleLog).toHaveBeenCalledExactlyOnceWith('Processed message on analytics:', 'pageview');
    expect(lines.filter(line => line.msg.includes('started')).map(line => line.fields.label)).toEqual([
      'validate',
      'broadcast',
      'metrics',
    ]);
  });

  it('stops at the failed validation: nothing broadcast, nothing counted', async () => {
    const consoleLog = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { dispatcher, server, lines, errors } = setup();
    dispatcher.add(subscriber);
    await dispatcher.dispatch('analytics', { type: 'pageview' });
    expect(server.calls).toEqual([]);
    expect(consoleLog).not.toHaveBeenCalled();
    expect(lines.filter(line => line.level === 'warn').map(line => line.msg)).toEqual([
      'validate failed on analytics',
    ]);
    expect(errors()).toHaveLength(1);
  });
});
