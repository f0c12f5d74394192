import { nowMs } from '../clock';
import { formatCount } from '../config';
import { ServerProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { RecoverySwarmProcess } from '../recovery-swarm';
import { percentile } from '../stats';
import { freshAppName, type ScenarioContext, selectSystems } from './context';
import { RESTART_CASES, type RestartCase } from './restart-storm-cases';

const TIMEOUT_MS = 120_000;
const HISTORY = { size: 10_000, ttlMs: 600_000 };
/** Node B's CPU is read this often during the storm, for its busiest slice. */
const CPU_SAMPLE_MS = 100;

interface RestartRun {
  recoveredAllMs: number;
  recoveredP50Ms: number;
  closeToBackP50Ms: number;
  serverCpuMsPerStorm: number;
  peakCpuPercent: number;
  messagesLost: number;
  messageDuplicates: number;
  clientsNotRecovered: number;
}

/**
 * Scenario 8 (issue 22, storm-free restarts): two Roomcast nodes on Redis; `clients`
 * `@roomcast/client` clients (`url: [A, B]`) all on node A, spread over `rooms` history rooms,
 * while node B publishes into every room at a steady pace. Node A then goes away: SIGKILL (no
 * drain is possible), or `stop()` with a drain window. Measured: how long until every client is
 * back in its room on node B (after its `since` recovery), node B's CPU from the kill until
 * then (in all, and its busiest 100 ms), and whether any client missed or repeated a message.
 */
export async function restartStorm(ctx: ScenarioContext): Promise<Measurement[]> {
  if (selectSystems(ctx, ['roomcast'] as const).length === 0) return [];
  const { clients, runs } = ctx.config.restart;
  const out: Measurement[] = [];
  for (const restart of RESTART_CASES) {
    ctx.log(`restart storm: ${restart.label}, ${clients} clients`);
    const results: RestartRun[] = [];
    for (let i = 0; i < runs; i++) results.push(await runOnce(ctx, restart));
    const { rooms } = ctx.config.restart;
    out.push(
      ...measurementsOf(
        {
          scenario: '8. restart storm, 2 nodes + Redis',
          case: `${formatCount(clients)} clients in ${rooms} history rooms leave node A for node B`,
          system: restart.label,
        },
        results,
        [
          'recoveredAllMs',
          'recoveredP50Ms',
          'closeToBackP50Ms',
          'serverCpuMsPerStorm',
          'peakCpuPercent',
          'messagesLost',
          'messageDuplicates',
          'clientsNotRecovered',
        ],
      ),
    );
  }
  return out;
}

async function runOnce(ctx: ScenarioContext, restart: RestartCase): Promise<RestartRun> {
  const { clients, rooms, swarms, concurrency, intervalMs, killAfterMs, publishMs } = ctx.config.restart;
  return withProcesses(async own => {
    const redis = { ...ctx.redis, appName: freshAppName() };
    const drain = restart.drainMs === undefined ? {} : { drainMs: restart.drainMs };
    const a = own(await ServerProcess.start('roomcast', { redis, history: HISTORY, ...drain }, ctx.harness));
    const b = own(await ServerProcess.start('roomcast', { redis, history: HISTORY }, ctx.harness));
    const roomNames = Array.from({ length: rooms }, (_, i) => `restart-${i}`);
    const swarmList = Array.from({ length: swarms }, () => own(new RecoverySwarmProcess()));
    const perSwarm = Math.ceil(clients / swarms);
    await Promise.all(
      swarmList.map((swarm, i) =>
        swarm.connect(
          {
            urls: [a.url, b.url],
            rooms: roomNames,
            count: Math.min(perSwarm, clients - i * perSwarm),
            concurrency,
          },
          TIMEOUT_MS,
        ),
      ),
    );
    const perRoom = Math.round(publishMs / intervalMs);
    const publishing = Promise.all(
      roomNames.map(roomName => b.paced({ roomName, count: perRoom, intervalMs }, publishMs + TIMEOUT_MS)),
    );
    await new Promise(resolve => setTimeout(resolve, killAfterMs));
    const cpuBefore = await b.cpuMicros();
    const killedAt = nowMs();
    let stopping: Promise<void> | undefined;
    if (restart.kill) a.kill();
    else stopping = a.stop();
    const sampler = sampleCpu(b);
    const backAfter = (await Promise.all(swarmList.map(s => s.waitRecovered(killedAt, TIMEOUT_MS)))).flat();
    const peakCpuPercent = await sampler.stop();
    const serverCpuMsPerStorm = ((await b.cpuMicros()) - cpuBefore) / 1000;
    await stopping;
    await publishing;
    // Every published message shown, or the swarms are as complete as they will get.
    const expected = perRoom * clients;
    const deadline = nowMs() + TIMEOUT_MS;
    let shown = 0;
    while (nowMs() < deadline) {
      shown = (await Promise.all(swarmList.map(s => s.shown()))).reduce((x, y) => x + y, 0);
      if (shown >= expected) break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const tallies = await Promise.all(swarmList.map(s => s.tally(perRoom)));
    const sum = (key: keyof (typeof tallies)[number]) => tallies.reduce((total, t) => total + t[key], 0);
    if (sum('errors') > 0) ctx.log(`restart storm: ${sum('errors')} client errors (joins, handshakes)`);
    if (sum('duplicatesNotRecovered') > 0)
      ctx.log(
        `restart storm: ${sum('duplicatesNotRecovered')} messages shown twice by clients told recovered: false`,
      );
    const sorted = backAfter.map(back => back.afterStop).sort((x, y) => x - y);
    const closeToBack = backAfter.map(back => back.afterClose).sort((x, y) => x - y);
    return {
      recoveredAllMs: sorted[sorted.length - 1] ?? 0,
      recoveredP50Ms: percentile(sorted, 50),
      closeToBackP50Ms: percentile(closeToBack, 50),
      serverCpuMsPerStorm,
      peakCpuPercent,
      messagesLost: sum('lost'),
      messageDuplicates: sum('duplicates'),
      clientsNotRecovered: sum('notRecovered'),
    };
  });
}

/** Reads `server`'s CPU every CPU_SAMPLE_MS until stopped; resolves with its busiest slice, in % of a core. */
function sampleCpu(server: ServerProcess): { stop(): Promise<number> } {
  let running = true;
  const loop = (async () => {
    let peak = 0;
    let [lastCpu, lastAt] = [await server.cpuMicros(), nowMs()];
    while (running) {
      await new Promise(resolve => setTimeout(resolve, CPU_SAMPLE_MS));
      const [cpu, at] = [await server.cpuMicros(), nowMs()];
      // A busy node answers late: the slice is as long as it took, so the rate stays right.
      peak = Math.max(peak, ((cpu - lastCpu) / 1000 / (at - lastAt)) * 100);
      [lastCpu, lastAt] = [cpu, at];
    }
    return peak;
  })();
  return {
    stop: () => {
      running = false;
      return loop;
    },
  };
}
