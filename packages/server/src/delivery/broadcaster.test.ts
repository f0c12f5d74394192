import { type Bus, type BusMessage, decodeBusMessage, type Logger } from '@roomcast/protocol';
import { describe, expect, it } from 'vitest';
import { type BroadcasterDeps, ScopedBroadcaster } from './broadcaster';
import type { Filter, LocalDelivery } from './local-delivery';
import type { PreparedFrame } from './prepared-frame';

/** What this node delivered itself, one entry per LocalDelivery call. */
interface LocalCall {
  kind: string;
  target?: unknown;
  frame: unknown;
  filter?: Filter | undefined;
}

/** A bus that records what it was handed (other nodes would get exactly this), or rejects. */
function recordingBus(fail = false) {
  const published: { channel: string; message: BusMessage }[] = [];
  const bus = {
    connected: true,
    publish(channel: string, payload: string) {
      const message = decodeBusMessage(payload);
      if (!message) throw new Error(`undecodable bus payload: ${payload}`);
      published.push({ channel, message });
      return fail ? Promise.reject(new Error('bus down')) : Promise.resolve();
    },
  } as unknown as Bus;
  return { bus, published };
}

function setup(scope: 'cluster' | 'local', options: { failBus?: boolean; reachedHere?: number } = {}) {
  const { bus, published } = recordingBus(options.failBus);
  const local: LocalCall[] = [];
  const events: { channel: string; message: unknown }[] = [];
  const errors: { obj: unknown; msg: string }[] = [];
  const parse = (frame: PreparedFrame) => JSON.parse(frame.payload.toString()) as unknown;
  const delivery = {
    toAll: (frame: PreparedFrame, filter?: Filter) => {
      local.push({ kind: 'all', frame: parse(frame), filter });
      return 0;
    },
    toRoom: (room: string, frame: PreparedFrame, filter?: Filter) => {
      local.push({ kind: 'room', target: room, frame: parse(frame), filter });
      return 0;
    },
    toUsers: (users: unknown, frame: PreparedFrame, filter?: Filter) => {
      local.push({ kind: 'users', target: users, frame: parse(frame), filter });
      return 0;
    },
    toClientIds: (ids: string[], frame: PreparedFrame) => {
      local.push({ kind: 'clients', target: ids, frame: parse(frame) });
      return options.reachedHere ?? 0;
    },
  } as unknown as LocalDelivery;
  const logger = {
    error: (obj: unknown, msg: string) => errors.push({ obj, msg }),
    warn: () => {},
    info: () => {},
    debug: () => {},
  } as unknown as Logger;
  const deps: BroadcasterDeps = {
    nodeId: 'node-a',
    bus,
    local: delivery,
    durable: { publish: () => Promise.reject(new Error('no durable rooms here')) } as never,
    roomSettings: () => ({}) as never,
    dispatchEvent: (channel, message) => events.push({ channel, message }),
    logger,
  };
  return { broadcaster: new ScopedBroadcaster(deps, scope), published, local, events, errors };
}

const predicate = () => true;

describe('ScopedBroadcaster, cluster scope: what other nodes receive over the bus', () => {
  it('broadcastToAllClients delivers here and publishes the frame with its exclusion', () => {
    const { broadcaster, published, local } = setup('cluster');
    broadcaster.broadcastToAllClients({ data: { type: 'hi' }, excludeClientId: 'c1' });
    expect(local).toEqual([
      { kind: 'all', frame: { type: 'hi' }, filter: { exclude: 'c1', predicate: undefined } },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]?.message.header).toEqual({ kind: 'all', origin: 'node-a', exclude: 'c1' });
    expect(JSON.parse(published[0]?.message.body ?? '')).toEqual({ type: 'hi' });
  });

  it('a predicate keeps every broadcast on this node', async () => {
    const { broadcaster, published, local } = setup('cluster');
    broadcaster.broadcastToAllClients({ data: { n: 1 }, predicate });
    await broadcaster.broadcastToRoom({ roomName: 'r', data: { n: 2 }, predicate });
    broadcaster.broadcastToUsers({ userIds: ['u1'], data: { n: 3 }, predicate });
    expect(local.map(c => c.filter?.predicate)).toEqual([predicate, predicate, predicate]);
    expect(published).toEqual([]);
  });

  it('broadcastToRoom adds the room to the frame and publishes it on the room channel', async () => {
    const { broadcaster, published, local } = setup('cluster');
    await broadcaster.broadcastToRoom({ roomName: 'lobby', data: { type: 'say' }, excludeClientId: 'c2' });
    expect(local).toEqual([
      {
        kind: 'room',
        target: 'lobby',
        frame: { type: 'say', room: 'lobby' },
        filter: { exclude: 'c2', predicate: undefined },
      },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]?.message.header).toEqual({
      kind: 'room',
      origin: 'node-a',
      room: 'lobby',
      exclude: 'c2',
    });
    expect(JSON.parse(published[0]?.message.body ?? '')).toEqual({ type: 'say', room: 'lobby' });
    expect(published[0]?.channel).toContain('lobby');
  });

  it('broadcastToRoom passes data that is not a plain object through unchanged', async () => {
    const { broadcaster, published } = setup('cluster');
    await broadcaster.broadcastToRoom({ roomName: 'r', data: [1, 2] });
    await broadcaster.broadcastToRoom({ roomName: 'r', data: null });
    await broadcaster.broadcastToRoom({ roomName: 'r', data: 'text' });
    expect(published.map(p => JSON.parse(p.message.body))).toEqual([[1, 2], null, 'text']);
  });

  it('broadcastToUsers delivers here and publishes the users with the exclusion', () => {
    const { broadcaster, published, local } = setup('cluster');
    broadcaster.broadcastToUsers({ userIds: ['u1', 'u2'], data: { type: 'dm' }, excludeClientId: 'c3' });
    expect(local).toEqual([
      {
        kind: 'users',
        target: ['u1', 'u2'],
        frame: { type: 'dm' },
        filter: { exclude: 'c3', predicate: undefined },
      },
    ]);
    expect(published).toHaveLength(1);
    expect(published[0]?.message.header).toEqual({
      kind: 'users',
      origin: 'node-a',
      users: ['u1', 'u2'],
      exclude: 'c3',
    });
    expect(JSON.parse(published[0]?.message.body ?? '')).toEqual({ type: 'dm' });
  });

  it('broadcastToClients publishes only when some of the clients are not on this node', () => {
    const allHere = setup('cluster', { reachedHere: 2 });
    allHere.broadcaster.broadcastToClients(['c1', 'c2'], { type: 'x' });
    expect(allHere.local).toHaveLength(1);
    expect(allHere.published).toEqual([]);

    const oneElsewhere = setup('cluster', { reachedHere: 1 });
    oneElsewhere.broadcaster.broadcastToClient({ clientId: 'c1', data: { type: 'y' } });
    expect(oneElsewhere.published).toEqual([]);
    oneElsewhere.broadcaster.broadcastToClients(['c1', 'c9'], { type: 'y' });
    expect(oneElsewhere.published).toHaveLength(1);
    expect(oneElsewhere.published[0]?.message.header).toEqual({
      kind: 'clients',
      origin: 'node-a',
      clients: ['c1', 'c9'],
    });
    expect(JSON.parse(oneElsewhere.published[0]?.message.body ?? '')).toEqual({ type: 'y' });
  });

  it('sendMessageToAll reaches every node', () => {
    const { broadcaster, published } = setup('cluster');
    broadcaster.sendMessageToAll({ data: { type: 'all' } });
    expect(published.map(p => p.message.header.kind)).toEqual(['all']);
  });

  it('sendCustomMessage and publish go out as events on the bus, not to local subscribers directly', () => {
    const { broadcaster, published, events } = setup('cluster');
    broadcaster.sendCustomMessage({ data: { hello: 'world' } });
    broadcaster.publish('orders', { id: 7 });
    broadcaster.publish('empty', undefined);
    expect(events).toEqual([]);
    expect(published.map(p => p.message.header)).toEqual([
      { kind: 'event', origin: 'node-a', channel: 'custom' },
      { kind: 'event', origin: 'node-a', channel: 'orders' },
      { kind: 'event', origin: 'node-a', channel: 'empty' },
    ]);
    expect(published.map(p => JSON.parse(p.message.body))).toEqual([{ hello: 'world' }, { id: 7 }, null]);
  });

  it('a failed bus publish is logged, not thrown', async () => {
    const { broadcaster, errors } = setup('cluster', { failBus: true });
    expect(() => broadcaster.broadcastToAllClients({ data: { type: 'x' } })).not.toThrow();
    broadcaster.publish('orders', { id: 1 });
    await new Promise(resolve => setImmediate(resolve));
    expect(errors.map(e => e.msg)).toEqual(['bus publish failed', 'bus publish failed']);
    expect(errors[0]?.obj).toMatchObject({ channel: expect.any(String), err: expect.any(Error) });
  });
});

describe('ScopedBroadcaster, local scope: this node only', () => {
  it('delivers here and never touches the bus', async () => {
    const { broadcaster, published, local } = setup('local');
    broadcaster.broadcastToAllClients({ data: { n: 1 } });
    await broadcaster.broadcastToRoom({ roomName: 'r', data: { n: 2 } });
    broadcaster.broadcastToUsers({ userIds: ['u'], data: { n: 3 } });
    broadcaster.broadcastToClients(['elsewhere'], { n: 4 });
    broadcaster.sendMessageToAll({ data: { n: 5 } });
    expect(local.map(c => c.kind)).toEqual(['all', 'room', 'users', 'clients', 'all']);
    expect(published).toEqual([]);
  });

  it("publish and sendCustomMessage run this node's subscribers", () => {
    const { broadcaster, published, events } = setup('local');
    broadcaster.publish('orders', { id: 7 });
    broadcaster.sendCustomMessage({ data: 'ping' });
    expect(events).toEqual([
      { channel: 'orders', message: { id: 7 } },
      { channel: 'custom', message: 'ping' },
    ]);
    expect(published).toEqual([]);
  });
});
