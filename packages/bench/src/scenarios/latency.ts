import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { percentile } from '../stats';
import { freshAppName, ROOM, type ScenarioContext, selectSystems } from './context';

const TIMEOUT_MS = 60_000;

interface LatencyRun {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Scenario 3: broadcasts issued on node 1 at a steady pace, received by clients on node 2, so
 * every message crosses Redis. Latency is the client's clock minus the stamp the server put in
 * the message (both monotonic, shared by every process on the machine).
 */
export async function latencyAcrossNodes(ctx: ScenarioContext): Promise<Measurement[]> {
  const { clients, intervalMs, durationMs } = ctx.config.latency;
  const out: Measurement[] = [];
  for (const system of selectSystems(ctx, ['roomcast', 'socket.io'] as const)) {
    ctx.log(`latency: ${system} + redis, ${clients} clients`);
    const runs = await withProcesses(async own => {
      const options = { redis: { ...ctx.redis, appName: freshAppName() } };
      const origin = own(await ServerProcess.start(system, options, ctx.harness));
      const receiving = own(await ServerProcess.start(system, options, ctx.harness));
      const swarm = own(new SwarmProcess());
      const connect = { kind: receiving.clientKind, url: receiving.url, roomName: ROOM, count: clients };
      await swarm.connect(
        { ...connect, concurrency: ctx.config.connections.concurrency, recordLatency: true },
        TIMEOUT_MS,
      );
      const run = async (count: number): Promise<LatencyRun> => {
        await swarm.resetCount();
        await origin.paced({ roomName: ROOM, count, intervalMs }, TIMEOUT_MS);
        await swarm.waitReceived(count * clients, TIMEOUT_MS);
        const sorted = (await swarm.takeLatencies()).sort((a, b) => a - b);
        return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: percentile(sorted, 100) };
      };
      await run(ctx.config.warmupBroadcasts);
      const results: LatencyRun[] = [];
      for (let i = 0; i < ctx.config.runs; i++) results.push(await run(Math.round(durationMs / intervalMs)));
      return results;
    });
    const base = {
      scenario: '3. latency across 2 nodes',
      case: `${formatCount(clients)} clients on node 2, one broadcast on node 1 every ${intervalMs} ms for ${durationMs / 1000} s`,
      system: `${system} + redis` as const,
    };
    out.push(...measurementsOf(base, runs, ['p50', 'p99', 'max']));
  }
  return out;
}
