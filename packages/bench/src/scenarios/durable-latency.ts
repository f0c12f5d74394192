import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { percentile } from '../stats';
import { freshAppName, ROOM, type ScenarioContext, selectSystems } from './context';

const TIMEOUT_MS = 60_000;
const HISTORY = { size: 100, ttlMs: 60_000 };

interface LatencyRun {
  p50: number;
  p99: number;
}

/**
 * Scenario "durable": what delivering a room's durable messages from one sequence costs. Two
 * Roomcast nodes on Redis, clients on both; broadcasts on node 1 into a plain room (ephemeral:
 * node 1 writes to its own clients at once) and into a history room (durable: every node, node 1
 * included, delivers from the stream after the atomic append-and-publish). Same pace as scenario 3.
 */
export async function durableLatency(ctx: ScenarioContext): Promise<Measurement[]> {
  if (selectSystems(ctx, ['roomcast'] as const).length === 0) return [];
  const { clients, intervalMs, durationMs } = ctx.config.latency;
  const out: Measurement[] = [];
  for (const durable of [false, true]) {
    ctx.log(
      `durable latency: roomcast + redis, ${durable ? 'history' : 'plain'} room, ${clients} clients per node`,
    );
    const runs = await withProcesses(async own => {
      const options = {
        redis: { ...ctx.redis, appName: freshAppName() },
        ...(durable && { history: HISTORY }),
      };
      const origin = own(await ServerProcess.start('roomcast', options, ctx.harness));
      const other = own(await ServerProcess.start('roomcast', options, ctx.harness));
      const swarms = [own(new SwarmProcess()), own(new SwarmProcess())] as const;
      const nodes = [origin, other] as const;
      for (const [i, swarm] of swarms.entries()) {
        const node = nodes[i]!;
        await swarm.connect(
          {
            kind: node.clientKind,
            url: node.url,
            roomName: ROOM,
            count: clients,
            concurrency: ctx.config.connections.concurrency,
            recordLatency: true,
          },
          TIMEOUT_MS,
        );
      }
      const run = async (count: number): Promise<LatencyRun[]> => {
        for (const swarm of swarms) await swarm.resetCount();
        await origin.paced({ roomName: ROOM, count, intervalMs }, TIMEOUT_MS);
        const results: LatencyRun[] = [];
        for (const swarm of swarms) {
          await swarm.waitReceived(count * clients, TIMEOUT_MS);
          const sorted = (await swarm.takeLatencies()).sort((a, b) => a - b);
          results.push({ p50: percentile(sorted, 50), p99: percentile(sorted, 99) });
        }
        return results;
      };
      await run(ctx.config.warmupBroadcasts);
      const results: LatencyRun[][] = [];
      for (let i = 0; i < ctx.config.runs; i++) results.push(await run(Math.round(durationMs / intervalMs)));
      return results;
    });
    const kind = durable ? 'durable (history room)' : 'ephemeral (plain room)';
    for (const [i, where] of ['node 1 (the sender)', 'node 2'].entries()) {
      const base = {
        scenario: '3b. durable vs ephemeral latency, 2 nodes',
        case: `${kind}, ${formatCount(clients)} clients on ${where}, one broadcast every ${intervalMs} ms`,
        system: 'roomcast + redis' as const,
      };
      out.push(
        ...measurementsOf(
          base,
          runs.map(perNode => perNode[i]!),
          ['p50', 'p99'],
        ),
      );
    }
  }
  return out;
}
