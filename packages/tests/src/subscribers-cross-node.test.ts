// Issue 7, "Done when" with the Redis bus: a subscriber runs exactly once per node per message
// (not once per client, not only on the origin), its `webSocketServer` is `server.local`, and a
// handler that throws on one node stops nothing, there or elsewhere.
import { WebSocketRedisSubscriberEvent } from '@roomcast/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameId, openClient, type TestClient, until } from './support/clients';
import { ONE_REDIS, type RedisTarget } from './support/redis-targets';
import { type RoomcastNode, type SubscriberRun, startNode } from './support/roomcast-node';

const JOBS = 'jobs';
const { ClientConnected, Custom } = WebSocketRedisSubscriberEvent;

describe('subscribers on three nodes over Redis', () => {
  let redis: RedisTarget;
  let nodes: RoomcastNode[];
  const clients = new Map<RoomcastNode, TestClient[]>();

  beforeAll(async () => {
    redis = await ONE_REDIS.start();
    const subscribers = [{ channel: JOBS }, { channel: ClientConnected }, { channel: Custom }];
    const config = { redis: redis.connection, appName: 'subscribers', subscribers };
    nodes = [];
    for (const nodeId of ['A', 'B', 'C']) {
      // B also has a failing subscriber that runs first: it must not stop B's recorder.
      const extra = nodeId === 'B' ? [{ channel: JOBS, throws: true, priority: 10 }] : [];
      nodes.push(await startNode({ ...config, nodeId, subscribers: [...subscribers, ...extra] }));
    }
    // Two clients per node: a subscriber that ran per client would show up twice.
    for (const node of nodes) {
      clients.set(node, [await openClient(node.url), await openClient(node.url)]);
    }
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...clients.values()].flat().map(client => client.close()));
    await Promise.all((nodes ?? []).map(node => node.stop()));
    await redis?.stop();
  });

  /** Runs of one subscriber on a node, once the fence published after them has run there. */
  async function runsAfterFence(
    node: RoomcastNode,
    subscriber: string,
    fence: string,
  ): Promise<SubscriberRun[]> {
    let runs: SubscriberRun[] = [];
    await until(`${fence} on ${node.nodeId}`, async () => {
      runs = (await node.subscriberRuns()).filter(run => run.subscriber === subscriber);
      return nodes.every(origin => runs.some(run => isMessage(run, `${fence}@${origin.nodeId}`)));
    });
    return runs;
  }
  const isMessage = (run: SubscriberRun, id: string) => (run.message as { id?: string } | null)?.id === id;

  it('runs once per node per message, and server.local reaches only that node’s clients', async () => {
    for (const origin of nodes) await origin.server.publish(JOBS, { id: `job@${origin.nodeId}` });
    for (const origin of nodes) await origin.server.publish(JOBS, { id: `fence@${origin.nodeId}` });

    const jobs = nodes.map(origin => `job@${origin.nodeId}`);
    for (const node of nodes) {
      const runs = await runsAfterFence(node, `recording:${JOBS}`, 'fence');
      const ids = runs.map(run => (run.message as { id: string }).id).filter(id => id.startsWith('job@'));
      expect({ node: node.nodeId, ids: ids.sort() }).toEqual({ node: node.nodeId, ids: jobs });
    }
    for (const [node, onNode] of clients) {
      for (const client of onNode) {
        for (const origin of nodes) {
          const fence = `fence@${origin.nodeId}`;
          await client.next(frame => frameId(frame) === fence);
        }
        const heard = client
          .received('subscriber', 'ran')
          .map(frame => frame.data as SubscriberRun & { nodeId: string })
          .filter(run => run.channel === JOBS && (run.message as { id: string }).id.startsWith('job@'));
        // One frame per job, from this client's own node only.
        expect(heard.map(run => (run.message as { id: string }).id).sort()).toEqual(jobs);
        expect(new Set(heard.map(run => run.nodeId))).toEqual(new Set([node.nodeId]));
      }
    }
  });

  it('a handler that throws on one node is logged there and stops nothing', async () => {
    const [a, b, c] = nodes as [RoomcastNode, RoomcastNode, RoomcastNode];
    await c.server.publish(JOBS, { id: 'risky@C' });
    await c.server.publish(JOBS, { id: 'later@C' });
    for (const origin of nodes) await origin.server.publish(JOBS, { id: `fence2@${origin.nodeId}` });
    for (const node of [a, b, c]) {
      const runs = await runsAfterFence(node, `recording:${JOBS}`, 'fence2');
      expect(runs.filter(run => isMessage(run, 'risky@C'))).toHaveLength(1);
      expect(runs.filter(run => isMessage(run, 'later@C'))).toHaveLength(1);
    }
    const failing = (await b.subscriberRuns()).filter(run => run.subscriber === `failing:${JOBS}`);
    expect(failing.filter(run => isMessage(run, 'risky@C'))).toHaveLength(1);
    await until('the failure logged on B', () =>
      b.logs.some(line => line.level === 'error' && JSON.stringify(line).includes(`failing:${JOBS}`)),
    );
    expect(a.logs.some(line => JSON.stringify(line).includes(`failing:${JOBS}`))).toBe(false);
    expect((await b.server.getHealth()).status).toBe('healthy');
  });

  it('automatic events and sendCustomMessage reach subscribers on every node once', async () => {
    const [a, , c] = nodes as [RoomcastNode, RoomcastNode, RoomcastNode];
    const newcomer = await openClient(a.url);
    try {
      await c.server.sendCustomMessage({ data: { id: 'custom@C' } });
      for (const origin of nodes) await origin.server.publish(Custom, { id: `fence3@${origin.nodeId}` });
      for (const node of nodes) {
        const custom = await runsAfterFence(node, `recording:${Custom}`, 'fence3');
        expect(custom.filter(run => isMessage(run, 'custom@C'))).toHaveLength(1);
        const connected = (await node.subscriberRuns()).filter(
          run =>
            run.subscriber === `recording:${ClientConnected}` &&
            (run.message as { clientId?: string }).clientId === newcomer.clientId,
        );
        expect(connected).toHaveLength(1);
      }
    } finally {
      await newcomer.close();
    }
  });
});
