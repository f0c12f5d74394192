// The guide's "Custom Cross-Worker Messages" and "Subscriber Matching and Ordering" examples,
// with their code unchanged (imports aside).
import { describe, expect, it, vi } from 'vitest';
import { setup } from '../test/fakes';
import { defineWebSocketSubscriber, WebSocketRedisSubscriberEvent } from './index';

describe('guide: Custom Cross-Worker Messages', () => {
  const custom = defineWebSocketSubscriber({
    channel: WebSocketRedisSubscriberEvent.Custom,
    handle: ({ message, webSocketServer }) => {
      if (message.type === 'custom' && message.action === 'userStatusChanged') {
        webSocketServer.sendMessageToAll({
          data: {
            type: 'status',
            action: 'update',
            data: {
              userId: message.userId,
              status: message.status,
            },
          },
        });
      }
    },
  });

  it('turns a custom userStatusChanged message into a status update for every client', async () => {
    const { dispatcher, server } = setup();
    dispatcher.add(custom);
    // What `sendCustomMessage({ data })` publishes reaches the subscriber as its message.
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.Custom, {
      type: 'custom',
      action: 'userStatusChanged',
      userId: 123,
      status: 'online',
    });
    expect(server.calls).toEqual([
      {
        method: 'sendMessageToAll',
        options: { data: { type: 'status', action: 'update', data: { userId: 123, status: 'online' } } },
      },
    ]);
  });

  it('ignores other custom messages and other channels', async () => {
    const { dispatcher, server } = setup();
    dispatcher.add(custom);
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.Custom, { type: 'custom', action: 'other' });
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.ClientConnected, {
      type: 'custom',
      action: 'userStatusChanged',
    });
    expect(server.calls).toEqual([]);
  });
});

describe('guide: Subscriber Matching and Ordering', () => {
  const queueDashboard = defineWebSocketSubscriber({
    name: 'queueDashboard',
    description: 'Forward queue updates to the live dashboard',
    channels: [WebSocketRedisSubscriberEvent.QueueJobCompleted, WebSocketRedisSubscriberEvent.QueueJobError],
    priority: 20,
    handle: ({ channel, message, webSocketServer }) => {
      webSocketServer.sendCustomMessage({
        data: {
          type: 'queue',
          action: channel === WebSocketRedisSubscriberEvent.QueueJobCompleted ? 'done' : 'errored',
          data: message,
        },
      });
    },
  });

  const segmentTargeting = defineWebSocketSubscriber({
    name: 'segmentTargeting',
    match: [/^analytics:/, ({ message }) => message?.segment === 'vip'],
    handle: ({ message, queueManager }) => {
      queueManager.add('analytics', { message });
    },
  });

  it('queueDashboard forwards completed and failed jobs with the right action', async () => {
    const { dispatcher, server } = setup();
    dispatcher.add(queueDashboard);
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.QueueJobCompleted, { jobId: 1 });
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.QueueJobError, { jobId: 2 });
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.Custom, { jobId: 3 });
    expect(server.calls.map(call => call.options)).toEqual([
      { data: { type: 'queue', action: 'done', data: { jobId: 1 } } },
      { data: { type: 'queue', action: 'errored', data: { jobId: 2 } } },
    ]);
  });

  it('priority 20 runs queueDashboard before a default-priority subscriber registered earlier', async () => {
    const { dispatcher, server } = setup();
    const order: string[] = [];
    server.sendCustomMessage.mockImplementation(() => order.push('queueDashboard'));
    dispatcher.add([
      defineWebSocketSubscriber({
        channel: WebSocketRedisSubscriberEvent.QueueJobCompleted,
        handle: () => {
          order.push('audit');
        },
      }),
      queueDashboard,
    ]);
    await dispatcher.dispatch(WebSocketRedisSubscriberEvent.QueueJobCompleted, {});
    expect(order).toEqual(['queueDashboard', 'audit']);
  });

  it('segmentTargeting queues analytics channels and vip messages on any channel', async () => {
    const queueManager = { add: vi.fn() };
    const { dispatcher } = setup({ queueManager });
    dispatcher.add(segmentTargeting);
    await dispatcher.dispatch('analytics:pageview', { page: '/' });
    await dispatcher.dispatch('orders', { segment: 'vip' });
    await dispatcher.dispatch('orders', { segment: 'basic' });
    await dispatcher.dispatch('orders', 'not an object');
    expect(queueManager.add.mock.calls).toEqual([
      ['analytics', { message: { page: '/' } }],
      ['analytics', { message: { segment: 'vip' } }],
    ]);
  });

  it('name and description reach the debug printer', () => {
    const { dispatcher, logger, lines } = setup();
    dispatcher.add([queueDashboard, segmentTargeting]);
    expect(dispatcher.describe()).toEqual([
      {
        name: 'queueDashboard',
        description: 'Forward queue updates to the live dashboard',
        channels: ['queueJobCompleted', 'queueJobError'],
        match: [],
        priority: 20,
      },
      { name: 'segmentTargeting', channels: [], match: ['/^analytics:/', 'predicate()'], priority: 0 },
    ]);
    dispatcher.print(logger);
    expect(lines.map(line => line.msg)).toEqual([
      'WebSocket subscribers: 2',
      '  queueDashboard <- queueJobCompleted, queueJobError (priority 20) - Forward queue updates to the live dashboard',
      '  segmentTargeting <- /^analytics:/, predicate() (priority 0)',
    ]);
  });
});
