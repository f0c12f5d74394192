// Issue 21: the admin dashboard's JSON across two nodes on one redis-server (node 2 in its own
// process): node 1 lists both nodes and a room's members on both, disconnects a client held by
// node 2, and shows node 2 as unreachable (not hidden) while its process is SIGSTOPped, then
// reachable again after SIGCONT. The page itself is in admin-browser.test.ts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AdminCluster, AS_ADMIN, adminGet, startAdminCluster } from './support/admin-cluster';
import { until } from './support/clients';

interface NodeView {
  nodeId: string;
  reachable: boolean;
  connections?: number;
}
interface Cluster {
  nodeId: string;
  nodes: NodeView[];
  rooms: { name: string; members: number; latestOffset: number | null }[];
}

let cluster: AdminCluster;
const read = async () => (await adminGet<{ cluster: Cluster }>(cluster.base1, '/cluster')).cluster;

beforeAll(async () => {
  cluster = await startAdminCluster();
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

it('lists both nodes and a room’s members on both, and disconnects a client of node 2', async () => {
  const alice = await cluster.join(cluster.base1, 'chat:lobby', 'alice');
  const bob = await cluster.join(cluster.base2, 'chat:lobby', 'bob');
  await until('both nodes reachable with one connection each', async () => {
    const { nodes } = await read();
    return nodes.length === 2 && nodes.every(node => node.reachable && node.connections === 1);
  });
  const view = await read();
  expect(view.nodes.map(node => node.nodeId).sort()).toEqual([view.nodeId, cluster.node2Id].sort());
  expect(view.rooms).toContainEqual(
    expect.objectContaining({ name: 'chat:lobby', members: 2, latestOffset: 0 }),
  );
  const { members } = await adminGet<{ members: { clientId: string; nodeId: string; username: string }[] }>(
    cluster.base1,
    '/rooms/chat%3Alobby/members',
  );
  expect(members.map(m => [m.clientId, m.nodeId, m.username]).sort()).toEqual(
    [
      [alice.clientId, view.nodeId, 'alice'],
      [bob.clientId, cluster.node2Id, 'bob'],
    ].sort(),
  );
  const answer = await fetch(`${cluster.base1}/admin/api/disconnect`, {
    method: 'POST',
    headers: { ...AS_ADMIN, 'Content-Type': 'application/json' },
    body: JSON.stringify({ clientId: bob.clientId }),
  });
  expect(answer.status).toBe(200);
  expect((await bob.closed).code).toBe(1000);
}, 120_000);

it('shows a SIGSTOPped node as unreachable, and reachable again once it runs', async () => {
  const pid = cluster.node2.pid as number;
  await until('node 2 reachable', async () =>
    (await read()).nodes.some(n => n.nodeId === cluster.node2Id && n.reachable),
  );
  process.kill(pid, 'SIGSTOP');
  try {
    await until(
      'node 2 shown unreachable',
      async () => {
        const { nodes } = await read();
        return nodes.some(n => n.nodeId === cluster.node2Id && !n.reachable) && nodes.some(n => n.reachable);
      },
      60_000,
    );
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await until(
    'node 2 reachable again',
    async () => (await read()).nodes.some(n => n.nodeId === cluster.node2Id && n.reachable),
    60_000,
  );
}, 180_000);
