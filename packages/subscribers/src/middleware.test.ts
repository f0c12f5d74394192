import { afterEach, describe, expect, it, vi } from 'vitest';
import { setup } from '../test/fakes';
import {
  defineWebSocketSubscriber,
  rateLimitMiddleware,
  timingMiddleware,
  type WebSocketSubscriberMiddleware,
} from './index';

afterEach(() => {
  vi.useRealTimers();
});

/** Middleware that records each hook call as `name.hook` and answers what it is told to. */
function tracer(
  trace: string[],
  name: string,
  answers: { before?: boolean; suppress?: boolean } = {},
): WebSocketSubscriberMiddleware {
  return {
    name,
    onBefore: () => {
      trace.push(`${name}.before`);
      return answers.before ?? true;
    },
    onAfter: (_context, result) => {
      trace.push(`${name}.after:${String(result)}`);
    },
    onError: (_context, error) => {
      trace.push(`${name}.error:${error.message}`);
      return answers.suppress ?? false;
    },
  };
}

function subscriber(trace: string[], middleware: WebSocketSubscriberMiddleware[], fail = false) {
  return defineWebSocketSubscriber({
    name: 'traced',
    channel: 'c',
    middleware,
    handle: () => {
      trace.push('handle');
      if (fail) throw new Error('boom');
      return 'ok';
    },
  });
}

describe('middleware phases', () => {
  it('runs onBefore in order, the handler, then onAfter in order with the result', async () => {
    const trace: string[] = [];
    const { dispatcher } = setup();
    dispatcher.add(subscriber(trace, [tracer(trace, 'a'), tracer(trace, 'b')]));
    await dispatcher.dispatch('c', {});
    expect(trace).toEqual(['a.before', 'b.before', 'handle', 'a.after:ok', 'b.after:ok']);
  });

  it('onBefore returning false skips the handler and the later middleware', async () => {
    const trace: string[] = [];
    const { dispatcher, errors } = setup();
    dispatcher.add(subscriber(trace, [tracer(trace, 'a', { before: false }), tracer(trace, 'b')]));
    await dispatcher.dispatch('c', {});
    expect(trace).toEqual(['a.before']);
    expect(errors()).toEqual([]);
  });

  it('every onError sees the error; one returning true suppresses the error log', async () => {
    const trace: string[] = [];
    const { dispatcher, errors } = setup();
    dispatcher.add(subscriber(trace, [tracer(trace, 'a', { suppress: true }), tracer(trace, 'b')], true));
    await dispatcher.dispatch('c', {});
    expect(trace).toEqual(['a.before', 'b.before', 'handle', 'a.error:boom', 'b.error:boom']);
    expect(errors()).toEqual([]);
  });

  it('an unsuppressed error is logged once with the subscriber name and channel', async () => {
    const trace: string[] = [];
    const { dispatcher, errors } = setup();
    dispatcher.add(subscriber(trace, [tracer(trace, 'a')], true));
    await dispatcher.dispatch('c', {});
    expect(errors().map(line => line.msg)).toEqual(['subscriber traced failed on c']);
  });

  it('a throwing onBefore skips the handler (fails closed) and is logged with the middleware name', async () => {
    const trace: string[] = [];
    const { dispatcher, errors } = setup();
    const broken: WebSocketSubscriberMiddleware = {
      name: 'auth',
      onBefore: () => {
        throw new Error('token store down');
      },
    };
    dispatcher.add(subscriber(trace, [broken, tracer(trace, 'b')]));
    await dispatcher.dispatch('c', {});
    expect(trace).toEqual([]);
    expect(errors().map(line => [line.fields.middleware, line.fields.subscriber])).toEqual([
      ['auth', 'traced'],
    ]);
  });

  it('a throwing onAfter is logged and the next onAfter still runs', async () => {
    const trace: string[] = [];
    const { dispatcher, errors } = setup();
    const broken: WebSocketSubscriberMiddleware = {
      name: 'metrics',
      onAfter: () => {
        throw new Error('statsd down');
      },
    };
    dispatcher.add(subscriber(trace, [broken, tracer(trace, 'b')]));
    await dispatcher.dispatch('c', {});
    expect(trace).toEqual(['b.before', 'handle', 'b.after:ok']);
    expect(errors().map(line => line.fields.middleware)).toEqual(['metrics']);
  });
});

describe('built-in middleware', () => {
  it('timingMiddleware logs the handler duration, also after a failure', async () => {
    vi.useFakeTimers();
    const { dispatcher, lines } = setup();
    const slow = (fail: boolean) =>
      defineWebSocketSubscriber({
        name: fail ? 'slowFail' : 'slow',
        channel: fail ? 'f' : 's',
        middleware: [timingMiddleware()],
        handle: async () => {
          await new Promise(resolve => setTimeout(resolve, 25));
          if (fail) throw new Error('late');
        },
      });
    dispatcher.add([slow(false), slow(true)]);
    const runs = Promise.all([dispatcher.dispatch('s', {}), dispatcher.dispatch('f', {})]);
    await vi.advanceTimersByTimeAsync(25);
    await runs;
    const timings = lines.filter(line => 'durationMs' in line.fields).map(line => line.fields);
    expect(timings).toEqual([
      expect.objectContaining({ subscriber: 'slow', durationMs: 25, outcome: 'succeeded' }),
      expect.objectContaining({ subscriber: 'slowFail', durationMs: 25, outcome: 'failed' }),
    ]);
  });

  it('rateLimitMiddleware counts in fixed windows that start at the first run', async () => {
    vi.useFakeTimers();
    const { dispatcher, server } = setup();
    dispatcher.add(
      defineWebSocketSubscriber({
        channel: 'c',
        middleware: [rateLimitMiddleware(2, 1000)],
        handle: ({ webSocketServer }) => webSocketServer.sendMessageToAll({ data: 1 }),
      }),
    );
    const burst = async (count: number) => {
      for (let i = 0; i < count; i += 1) await dispatcher.dispatch('c', {});
    };
    await burst(3);
    expect(server.sendMessageToAll).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(999);
    await burst(1);
    expect(server.sendMessageToAll).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1);
    await burst(3);
    expect(server.sendMessageToAll).toHaveBeenCalledTimes(4);
  });

  it('rejects bad limits with a TypeError', () => {
    expect(() => rateLimitMiddleware(0, 1000)).toThrow(/max must be a positive integer/);
    expect(() => rateLimitMiddleware(1, 0)).toThrow(/windowMs must be a window length/);
  });
});
