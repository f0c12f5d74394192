// The guide's "Subscriber Middleware" examples, with their code unchanged (imports aside).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setup } from '../test/fakes';
import {
  defineWebSocketSubscriber,
  loggingMiddleware,
  rateLimitMiddleware,
  timingMiddleware,
  type WebSocketSubscriberMiddleware,
} from './index';

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe('guide: Using Built-in Middleware', () => {
  const updates = () =>
    defineWebSocketSubscriber({
      channels: ['updates'],
      handle: async ({ webSocketServer, message }) => {
        webSocketServer.broadcastToAllClients({
          data: message,
        });
      },
      middleware: [
        loggingMiddleware('updatesBroadcaster'),
        timingMiddleware(),
        rateLimitMiddleware(10, 60000), // 10 per minute
      ],
    });

  it('logs the run with its name and duration, then broadcasts', async () => {
    vi.useFakeTimers();
    const { dispatcher, server, lines } = setup();
    dispatcher.add(updates());
    await dispatcher.dispatch('updates', { text: 'v2 is out' });
    expect(server.calls).toEqual([
      { method: 'broadcastToAllClients', options: { data: { text: 'v2 is out' } } },
    ]);
    expect(lines.map(line => line.msg)).toEqual([
      'updatesBroadcaster handling updates',
      'updatesBroadcaster done on updates',
      'updates succeeded on updates in 0.0 ms',
    ]);
    expect(lines[2]?.fields).toMatchObject({ subscriber: 'updates', channel: 'updates', durationMs: 0 });
  });

  it('skips the handler past 10 messages a minute and warns once per window', async () => {
    vi.useFakeTimers();
    const { dispatcher, server, lines } = setup();
    dispatcher.add(updates());
    for (let i = 0; i < 13; i += 1) await dispatcher.dispatch('updates', { i });
    expect(server.broadcastToAllClients).toHaveBeenCalledTimes(10);
    expect(lines.filter(line => line.level === 'warn')).toHaveLength(1);
    vi.advanceTimersByTime(60_000);
    await dispatcher.dispatch('updates', { i: 13 });
    expect(server.broadcastToAllClients).toHaveBeenCalledTimes(11);
  });
});

describe('guide: Custom Middleware', () => {
  const authenticationMiddleware: WebSocketSubscriberMiddleware = {
    name: 'authentication',
    onBefore: async context => {
      // Check if message is authenticated
      const isAuthenticated = context.message?.authenticated === true;
      if (!isAuthenticated) {
        console.warn('Unauthenticated message on channel:', context.channel);
        return false; // Skip handler execution
      }
      return true; // Proceed with handler
    },
  };

  const metricsMiddleware: WebSocketSubscriberMiddleware = {
    name: 'metrics',
    onAfter: async (context, result) => {
      // Record metrics after successful execution
      console.log('Handler executed successfully', {
        channel: context.channel,
        resultType: typeof result,
      });
    },
    // biome-ignore lint/correctness/noUnusedFunctionParameters: the guide's code, kept unchanged.
    onError: async (context, error) => {
      // Handle errors
      console.error('Handler error:', error.message);
      return false; // Don't suppress the error
    },
  };

  const secureUpdates = defineWebSocketSubscriber({
    channels: ['secure-updates'],
    handle: async ({ webSocketServer, message }) => {
      webSocketServer.broadcastToAllClients({
        data: message,
      });
    },
    middleware: [authenticationMiddleware, metricsMiddleware],
  });

  function consoleSpies() {
    return {
      warn: vi.spyOn(console, 'warn').mockImplementation(() => {}),
      log: vi.spyOn(console, 'log').mockImplementation(() => {}),
      error: vi.spyOn(console, 'error').mockImplementation(() => {}),
    };
  }

  it('skips unauthenticated messages: no broadcast, no metrics', async () => {
    const spies = consoleSpies();
    const { dispatcher, server } = setup();
    dispatcher.add(secureUpdates);
    await dispatcher.dispatch('secure-updates', { authenticated: false });
    expect(spies.warn).toHaveBeenCalledExactlyOnceWith(
      'Unauthenticated message on channel:',
      'secure-updates',
    );
    expect(server.calls).toEqual([]);
    expect(spies.log).not.toHaveBeenCalled();
  });

  it('broadcasts authenticated messages and records metrics after', async () => {
    const spies = consoleSpies();
    const { dispatcher, server } = setup();
    dispatcher.add(secureUpdates);
    await dispatcher.dispatch('secure-updates', { authenticated: true, v: 1 });
    expect(server.broadcastToAllClients).toHaveBeenCalledWith({ data: { authenticated: true, v: 1 } });
    expect(spies.log).toHaveBeenCalledExactlyOnceWith('Handler executed successfully', {
      channel: 'secure-updates',
      resultType: 'undefined',
    });
  });

  it('reports a failing handler through onError and, not suppressed, in the error log', async () => {
    const spies = consoleSpies();
    const { dispatcher, server, errors } = setup();
    server.broadcastToAllClients.mockImplementationOnce(() => {
      throw new Error('socket gone');
    });
    dispatcher.add(secureUpdates);
    await dispatcher.dispatch('secure-updates', { authenticated: true });
    expect(spies.error).toHaveBeenCalledExactlyOnceWith('Handler error:', 'socket gone');
    expect(spies.log).not.toHaveBeenCalled();
    expect(errors().map(line => line.fields)).toEqual([
      expect.objectContaining({ subscriber: 'secure-updates', channel: 'secure-updates' }),
    ]);
  });
});
