import { describe, expect, it } from 'vitest';
import { recordingLogger, setup } from '../test/fakes';
import {
  type AnyWebSocketSubscriberConfig,
  defineWebSocketSubscriber,
  matchByProperty,
  SubscriberDispatcher,
} from './index';

/** A subscriber that records its label in `order` when it runs. */
function recorder(order: string[], label: string, config: Record<string, unknown>) {
  return defineWebSocketSubscriber({
    name: label,
    ...config,
    handle: () => {
      order.push(label);
    },
  } as unknown as AnyWebSocketSubscriberConfig);
}

describe('SubscriberDispatcher ordering and matching', () => {
  it('runs higher priority first and keeps registration order for ties, across channel and match', async () => {
    const order: string[] = [];
    const { dispatcher } = setup();
    dispatcher.add([
      recorder(order, 'low', { channel: 'c', priority: -1 }),
      recorder(order, 'tie-1', { channel: 'c', priority: 5 }),
      recorder(order, 'match-tie-2', { match: '*', priority: 5 }),
      recorder(order, 'tie-3', { channels: ['c'], priority: 5 }),
      recorder(order, 'high', { match: /^c$/, priority: 9 }),
    ]);
    dispatcher.add(recorder(order, 'tie-4', { channel: 'c', priority: 5 }));
    await dispatcher.dispatch('c', {});
    expect(order).toEqual(['high', 'tie-1', 'match-tie-2', 'tie-3', 'tie-4', 'low']);
  });

  it('matches arrays mixing strings, globs, RegExps and predicates; * matches everything', async () => {
    const order: string[] = [];
    const { dispatcher } = setup();
    dispatcher.add([
      recorder(order, 'mixed', {
        match: ['exact', 'queue:*', /^analytics:/, matchByProperty('kind', 'vip')],
      }),
      recorder(order, 'all', { match: '*' }),
    ]);
    for (const [channel, message] of [
      ['exact', {}],
      ['exactly', {}],
      ['queue:jobs:done', {}],
      ['analytics:click', {}],
      ['other', { kind: 'vip' }],
      ['other', { kind: 'basic' }],
    ] as const) {
      await dispatcher.dispatch(channel, message);
    }
    expect(order.filter(label => label === 'mixed')).toHaveLength(4);
    expect(order.filter(label => label === 'all')).toHaveLength(6);
    expect(order.slice(0, 4)).toEqual(['mixed', 'all', 'all', 'mixed']);
  });

  it('gives handlers the channel, message, logger, webSocketServer and extra keys', async () => {
    const seen: Record<string, unknown>[] = [];
    const { dispatcher, server, logger } = setup({ nodeId: 'n1' });
    dispatcher.add(
      defineWebSocketSubscriber({ name: 'spy', channel: 'c', handle: context => seen.push(context) }),
    );
    await dispatcher.dispatch('c', { a: 1 }, { origin: 'n2' });
    expect(seen[0]).toEqual({
      channel: 'c',
      message: { a: 1 },
      logger,
      webSocketServer: server,
      nodeId: 'n1',
      origin: 'n2',
      subscriber: 'spy',
    });
  });
});

describe('SubscriberDispatcher failure isolation', () => {
  it('a throwing handler does not stop the next one; dispatch resolves; the error names it', async () => {
    const order: string[] = [];
    const { dispatcher, errors } = setup();
    dispatcher.add([
      defineWebSocketSubscriber({
        name: 'broken',
        channel: 'c',
        priority: 1,
        handle: () => {
          throw new Error('boom');
        },
      }),
      defineWebSocketSubscriber({
        name: 'rejects',
        channel: 'c',
        handle: () => Promise.reject('plain string'),
      }),
      recorder(order, 'healthy', { channel: 'c' }),
    ]);
    await expect(dispatcher.dispatch('c', {})).resolves.toBeUndefined();
    expect(order).toEqual(['healthy']);
    expect(
      errors().map(line => [line.fields.subscriber, line.fields.channel, (line.fields.err as Error).message]),
    ).toEqual([
      ['broken', 'c', 'boom'],
      ['rejects', 'c', 'plain string'],
    ]);
    expect(errors()[0]?.msg).toBe('subscriber broken failed on c');
  });

  it('a throwing match predicate counts as no match and is logged with the subscriber name', async () => {
    const order: string[] = [];
    const { dispatcher, errors } = setup();
    dispatcher.add([
      recorder(order, 'picky', {
        match: () => {
          throw new Error('bad predicate');
        },
      }),
      recorder(order, 'fine', { channel: 'c' }),
    ]);
    await dispatcher.dispatch('c', {});
    expect(order).toEqual(['fine']);
    expect(errors().map(line => line.fields.subscriber)).toEqual(['picky']);
  });
});

describe('SubscriberDispatcher registry', () => {
  it('reports subscribers and exact channels, and checks plain configs on add', () => {
    const dispatcher = new SubscriberDispatcher();
    expect(dispatcher.hasSubscribers).toBe(false);
    dispatcher.add([
      { channels: ['a', 'b'], handle: () => {} },
      { match: /x/, handle: () => {} },
      { channel: 'a', handle: () => {} },
    ]);
    expect(dispatcher.hasSubscribers).toBe(true);
    expect(dispatcher.channels()).toEqual(['a', 'b']);
    expect(() => dispatcher.add([{ channel: 'ok', handle: () => {} }, { channel: 'bad' } as never])).toThrow(
      TypeError,
    );
    expect(dispatcher.channels()).toEqual(['a', 'b']);
  });

  it('prints an empty table as a single line', () => {
    const { logger, lines } = recordingLogger();
    new SubscriberDispatcher({ logger }).print();
    expect(lines).toEqual([{ level: 'info', fields: { subscribers: 0 }, msg: 'WebSocket subscribers: 0' }]);
  });

  it('rejects a logger without the four methods and a context that is not an object', () => {
    expect(() => new SubscriberDispatcher({ logger: { info() {} } as never })).toThrow(
      /debug, info, warn and error/,
    );
    expect(() => new SubscriberDispatcher({ context: 'server' as never })).toThrow(
      /context must be an object/,
    );
  });
});
