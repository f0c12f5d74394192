import { BusChannel, durableHead, type RoomMember } from '@roomcast/protocol';
import { collector, until } from '@roomcast/test-support/helpers';
import { type RedisClusterProcess, startRedisCluster } from '@roomcast/test-support/redis-process';
import { Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from './connect';
import { RedisBus } from './redis-bus';
import type { RedisBusOptions } from './redis-bus-options';
import { RedisHistory } from './redis-history';
import { RedisRoomStore } from './redis-room-store';

// One cluster for every Cluster test: starting one costs seconds on a 2-core machine.
let cluster: RedisClusterProcess;
let nodes: Redis[];
const opened: { close(): Promise<unknown> }[] = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
  nodes = cluster.nodes.map(node => new Redis(node.port, node.host));
}, 240_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map(item => item.close()));
});
afterAll(async () => {
  for (const node of nodes ?? []) node.disconnect();
  await cluster?.stop();
});

function track<T extends { close(): Promise<unknown> }>(item: T): T {
  opened.push(item);
  return item;
}

async function clusterBus(options: Partial<RedisBusOptions> = {}): Promise<RedisBus> {
  const bus = track(new RedisBus({ connection: { cluster: cluster.nodes }, ...options }));
  await until('the bus to connect', () => bus.connected, 20_000);
  return bus;
}

/** Every shard channel subscribed anywhere in the cluster, and every classic channel. */
async function channelsOnNodes(): Promise<{ sharded: string[]; classic: string[] }> {
  const sharded = await Promise.all(
    nodes.map(node => node.call('PUBSUB', 'SHARDCHANNELS') as Promise<string[]>),
  );
  const classic = await Promise.all(nodes.map(node => node.call('PUBSUB', 'CHANNELS') as Promise<string[]>));
  return { sharded: sharded.flat().sort(), classic: classic.flat().sort() };
}

const rooms = ['a', 'b', 'c', 'd', 'e', 'f'].map(name => `room:${name}`);

describe('on a 3-master Redis Cluster', () => {
  it('RedisBus uses sharded pub/sub, both directions, refcounted per channel', async () => {
    const a = await clusterBus({ appName: 'c1' });
    const b = await clusterBus({ appName: 'c1' });
    const onA = collector();
    const onB = collector();
    for (const room of rooms) await a.subscribe(room, onA.listener);
    await b.subscribe('room:a', onB.listener);

    const { sharded, classic } = await channelsOnNodes();
    expect(sharded).toEqual(rooms.map(room => `roomcast:c1:${room}`));
    expect(classic).toEqual([]);
    // The rooms really are spread over more than one shard.
    const perNode = await Promise.all(nodes.map(n => n.call('PUBSUB', 'SHARDCHANNELS') as Promise<string[]>));
    expect(perNode.filter(list => list.length > 0).length).toBeGreaterThan(1);

    for (const room of rooms) await b.publish(room, `to ${room}`);
    await a.publish('room:a', 'from a');
    await onA.wait(rooms.length + 1);
    await onB.wait(1);
    expect(onA.payloads.sort()).toEqual([...rooms.map(room => `to ${room}`), 'from a'].sort());
    await until('b to get both room:a messages', () => onB.payloads.length === 2);
    // b listens to room:a only: the other rooms' traffic never reached it.
    expect([...b.stats.receivedByChannel.keys()]).toEqual(['room:a']);

    await a.unsubscribe('room:f', onA.listener);
    expect((await channelsOnNodes()).sharded).not.toContain('roomcast:c1:room:f');
  });

  it('RedisBus takes the caller’s Cluster clients, which need shardedSubscribers', async () => {
    const publisher = new Cluster(cluster.nodes);
    const plain = new Cluster(cluster.nodes, { lazyConnect: true });
    expect(() => new RedisBus({ publisher, subscriber: plain })).toThrow(/shardedSubscribers: true/);
    plain.disconnect();

    const subscriber = new Cluster(cluster.nodes, { shardedSubscribers: true });
    const bus = new RedisBus({ publisher, subscriber, appName: 'c2' });
    await until('the bus to connect', () => bus.connected, 20_000);
    const got = collector();
    await bus.subscribe('room:z', got.listener);
    await bus.publish('room:z', 'sharded');
    await got.wait(1);
    await bus.close();
    expect(publisher.status).toBe('ready');
    expect((await channelsOnNodes()).sharded).not.toContain('roomcast:c2:room:z');
    await Promise.all([publisher.quit(), subscriber.quit()]);
  });

  it('connectRedis opens a Cluster pair the bus, store and history share', async () => {
    const redis = await connectRedis({ cluster: cluster.nodes }, { timeoutMs: 20_000 });
    track(redis);
    const bus = track(new RedisBus({ publisher: redis.publisherClient, subscriber: redis.subscriberClient }));
    const store = track(new RedisRoomStore({ client: redis.publisherClient, appName: 'c3' }));
    const history = track(new RedisHistory({ client: redis.publisherClient, appName: 'c3' }));
    await until('the bus to connect', () => bus.connected, 20_000);
    const got = collector();
    await bus.subscribe('broadcast', got.listener);
    await bus.publish('broadcast', 'hi');
    await got.wait(1);

    const member = (clientId: string, nodeId: string): RoomMember => ({
      clientId,
      nodeId,
      userId: null,
      username: null,
    });
    for (const room of rooms) await store.add(room, member(`c-${room}`, 'n1'));
    await store.add('room:a', member('other', 'n2'));
    expect(await store.rooms()).toEqual(rooms);
    expect(await store.members('room:a')).toHaveLength(2);
    await store.removeNode('n1');
    expect(await store.rooms()).toEqual(['room:a']);
    await store.remove('room:a', 'other');
    expect(await store.rooms()).toEqual([]);

    // The History contract on a Cluster is @roomcast/contract-tests'; here: each room's keys sit
    // in its shard channel's slot (so one script can XADD and SPUBLISH), and rooms spread out.
    const slots = new Set<number>();
    for (const room of rooms) {
      const frame = `{"room":"${room}"}`;
      const head = durableHead({ origin: 'n1', room, id: 'm1' });
      const publish = { channel: BusChannel.room(room), head };
      expect(
        await history.append(room, { id: 'm1', frame, publish }, { size: 3, ttlMs: 60_000 }),
      ).toMatchObject({
        offset: 1,
        published: true,
      });
      const channel = `roomcast:c3:${BusChannel.room(room)}`;
      const slot = Number(await nodes[0]!.call('CLUSTER', 'KEYSLOT', channel));
      for (const key of ['stream', 'meta', 'id:m1']) {
        expect(
          Number(await nodes[0]!.call('CLUSTER', 'KEYSLOT', `roomcast:c3:history:{${channel}}:${key}`)),
        ).toBe(slot);
      }
      slots.add(slot);
    }
    expect(slots.size).toBe(rooms.length);
  });

  it('restores sharded subscriptions after a master is SIGKILLed and restarted', async () => {
    const a = await clusterBus({ appName: 'c4' });
    const got = collector();
    await a.subscribe('room:a', got.listener);
    const channel = 'roomcast:c4:room:a';
    const owner = (
      await Promise.all(nodes.map(n => n.call('PUBSUB', 'SHARDCHANNELS') as Promise<string[]>))
    ).findIndex(list => list.includes(channel));
    const master = cluster.processes[owner];
    const ownerClient = nodes[owner];
    if (!master || !ownerClient) throw new Error('no node holds the shard channel');

    await master.kill();
    await master.restart();
    await until(
      'the subscription to come back on the restarted master',
      async () => ((await ownerClient.call('PUBSUB', 'SHARDCHANNELS')) as string[]).includes(channel),
      60_000,
    );
    await until(
      'a publish to arrive',
      async () => {
        await a.publish('room:a', 'after restart');
        return got.payloads.includes('after restart');
      },
      30_000,
    );
  }, 120_000);
});
