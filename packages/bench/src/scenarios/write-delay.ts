import { nowMs } from '../clock';
import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { formatNumber } from '../report';
import { percentile } from '../stats';
import type { SystemName } from '../systems';
import { ROOM, type ScenarioContext, selectSystems } from './context';
import { shareOf } from './fan-out';
import { WRITE_DELAY_CASES, WRITE_DELAY_SCENARIO } from './write-delay-cases';

const INTERVAL_MS = 1;
const TIMEOUT_MS = 120_000;
// Latency samples per broadcast: enough for a p99, few enough that the swarm parses little.
const SAMPLES_PER_BROADCAST = 100;
// The unmeasured first run: warms up the JIT on the same path.
const WARMUP_BROADCASTS = 200;
// A million messages a second is more than one client process reads: the room is split over two,
// of light clients (clients/light-clients.ts), so the clients' own backlog does not become the
// latency measured.
const SWARMS = 2;

export interface PacedRun {
  cpuMicrosPerDelivery: number;
  p50: number;
  p99: number;
  /** Deliveries per second from the first broadcast until every client had the last one. */
  deliveredPerSecond: number;
  /** The swarms' CPU over the same time: near 200 % the two client processes are the bottleneck. */
  clientCpuPercent: number;
}

/** A row of a paced scenario: a system, under the label the table shows. */
export interface PacedCase {
  label: string;
  system: SystemName;
  writeDelayMs?: number;
}

/** Runs `count` broadcasts into the deployed room, one every `intervalMs`, each in a turn of its own. */
export type PacedDeployment = (count: number, intervalMs: number) => Promise<PacedRun>;

/**
 * Issue 22's write delay: one room, one broadcast per millisecond, each in an event-loop turn of
 * its own (even when the server falls behind), so coalescing within a turn has nothing to join.
 * Roomcast at `writeDelayMs` 0, 2 and 10 beside the baselines: server CPU per delivery, and the
 * latency from the broadcast call to the client (a sample of the messages). Every case is deployed
 * at once and the runs interleave, as in the fan-out scenarios.
 */
export async function writeDelay(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, durationMs } = ctx.config.writeDelay;
  const cases = WRITE_DELAY_CASES.filter(c => selectSystems(ctx, [c.system]).length > 0);
  const broadcasts = Math.round(durationMs / INTERVAL_MS);
  const runs = await withProcesses(async own => {
    const deployments: PacedDeployment[] = [];
    for (const c of cases) {
      ctx.log(`write delay: ${c.label}, room of ${roomSize}`);
      deployments.push(await deployPaced(ctx, c, roomSize, own));
    }
    const results = deployments.map((): PacedRun[] => []);
    for (let i = 0; i < ctx.config.runs; i++) {
      for (const [d, run] of deployments.entries()) {
        const result = await run(broadcasts, INTERVAL_MS);
        ctx.log(
          `  ${cases[d]!.label}: ${formatNumber(result.cpuMicrosPerDelivery)} µs/delivery, p99 ${formatNumber(result.p99)} ms`,
        );
        results[d]!.push(result);
      }
    }
    return results;
  });
  const caseName = `room of ${formatCount(roomSize)}, one broadcast per ${INTERVAL_MS} ms for ${durationMs / 1000} s`;
  return cases.flatMap((c, i) =>
    measurementsOf({ scenario: WRITE_DELAY_SCENARIO, case: caseName, system: c.label }, runs[i]!, [
      'cpuMicrosPerDelivery',
      'p50',
      'p99',
      'deliveredPerSecond',
      'clientCpuPercent',
    ]),
  );
}

/** One case's server and swarms, connected into a room of `roomSize` and warmed up. */
export async function deployPaced(
  ctx: ScenarioContext,
  c: PacedCase,
  roomSize: number,
  own: <P extends ServerProcess | SwarmProcess>(process: P) => P,
): Promise<PacedDeployment> {
  const options = c.writeDelayMs === undefined ? {} : { writeDelayMs: c.writeDelayMs };
  const server = own(await ServerProcess.start(c.system, options, ctx.harness));
  const swarms = Array.from({ length: SWARMS }, () => own(new SwarmProcess()));
  await Promise.all(
    swarms.map((swarm, i) =>
      swarm.connect(
        {
          kind: server.clientKind,
          url: server.url,
          roomName: ROOM,
          count: shareOf(roomSize, SWARMS, i),
          concurrency: ctx.config.connections.concurrency,
          recordLatency: true,
          latencySampleEvery: Math.max(1, Math.round(roomSize / SAMPLES_PER_BROADCAST)),
          light: true,
        },
        TIMEOUT_MS,
      ),
    ),
  );
  const run = async (count: number, intervalMs: number): Promise<PacedRun> => {
    await Promise.all(swarms.map(swarm => swarm.resetCount()));
    const clientCpu = () =>
      Promise.all(swarms.map(swarm => swarm.cpuMicros())).then(all => all.reduce((a, b) => a + b, 0));
    const [before, clientBefore] = [await server.cpuMicros(), await clientCpu()];
    const started = nowMs();
    await server.paced({ roomName: ROOM, count, intervalMs, turnEach: true }, TIMEOUT_MS);
    await Promise.all(swarms.map(swarm => swarm.waitReceived(count * swarm.clients, TIMEOUT_MS)));
    const elapsedMs = nowMs() - started;
    const cpuMicros = (await server.cpuMicros()) - before;
    const clientMicros = (await clientCpu()) - clientBefore;
    const samples = await Promise.all(swarms.map(swarm => swarm.takeLatencies()));
    const sorted = samples.flat().sort((a, b) => a - b);
    return {
      cpuMicrosPerDelivery: cpuMicros / (count * roomSize),
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      deliveredPerSecond: (count * roomSize) / (elapsedMs / 1000),
      clientCpuPercent: clientMicros / 10 / elapsedMs,
    };
  };
  await run(WARMUP_BROADCASTS, INTERVAL_MS);
  return run;
}
