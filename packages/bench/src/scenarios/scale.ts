import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import type { SystemName } from '../systems';
import { ROOM, type ScenarioContext, selectSystems } from './context';
import { shareOf } from './fan-out';

export const SCALE_SCENARIO = 'scale: one node, many connections';

const CONNECT_TIMEOUT_MS = 300_000;
const BROADCAST_TIMEOUT_MS = 60_000;
// Lets the last joins' garbage become garbage before the collector runs for the memory reading.
const SETTLE_MS = 500;
// Files a server holds besides its sockets (modules, the IPC channel, stdio), with room to spare.
const SPARE_FILES = 500;

interface ScaleRun {
  rssPerConnection: number;
  heapPerConnection: number;
  externalPerConnection: number;
  connectionsPerSecond: number;
  cpuMicrosPerDelivery: number;
  allReceivedMs: number;
}

/**
 * Issue 22's scale: `connections` clients on one server node, each with a JWT and joined to one
 * room, from `swarms` client processes that each bind a source address of their own (127.0.0.2,
 * 127.0.0.3, ...): a client's port is taken at bind time, so one source address would run out of
 * ephemeral ports. Measured per run, on a fresh server: RSS and heap growth per connection, the
 * connection rate of all swarms together, and `broadcasts` broadcasts to all (after one warm-up):
 * server CPU per delivery and how long until the last client had each one.
 */
export async function scale(ctx: ScenarioContext): Promise<Measurement[]> {
  const { connections: count, swarms } = ctx.config.scale;
  const systems = selectSystems(ctx, ['roomcast', 'ws', 'ws-preframed', 'socket.io'] as const);
  if (systems.length > 0) checkFileLimit(count);
  const caseName = `${formatCount(count)} connections from ${swarms} client processes, JWT + join, broadcast to all`;
  const out: Measurement[] = [];
  for (const system of systems) {
    ctx.log(`scale: ${system}, ${count} connections from ${swarms} source addresses`);
    const runs: ScaleRun[] = [];
    for (let i = 0; i < ctx.config.runs; i++) {
      const run = await runOnce(ctx, system).catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`scale: ${system}, run ${i + 1} failed: ${reason}`, { cause: error });
      });
      ctx.log(
        `  ${system}: ${run.rssPerConnection.toFixed(1)} KiB/conn, ${run.connectionsPerSecond.toFixed(0)} conn/s, ` +
          `${run.cpuMicrosPerDelivery.toFixed(2)} µs/delivery, all have it after ${run.allReceivedMs.toFixed(0)} ms`,
      );
      runs.push(run);
    }
    out.push(
      ...measurementsOf({ scenario: SCALE_SCENARIO, case: caseName, system }, runs, [
        'rssPerConnection',
        'heapPerConnection',
        'externalPerConnection',
        'connectionsPerSecond',
        'cpuMicrosPerDelivery',
        'allReceivedMs',
      ]),
    );
  }
  return out;
}

function runOnce(ctx: ScenarioContext, system: SystemName): Promise<ScaleRun> {
  const { connections: count, swarms, concurrency, broadcasts } = ctx.config.scale;
  return withProcesses(async own => {
    const jwtSecret = randomBytes(32).toString('hex');
    const server = own(await ServerProcess.start(system, { jwtSecret }, ctx.harness));
    const swarmList = Array.from({ length: swarms }, () => own(new SwarmProcess()));
    const before = await server.memory();
    const elapsed = await Promise.all(
      swarmList.map((swarm, i) =>
        swarm.connect(
          {
            kind: server.clientKind,
            url: server.url,
            roomName: ROOM,
            count: shareOf(count, swarms, i),
            concurrency,
            jwtSecret,
            localAddress: `127.0.0.${2 + i}`,
            recordLatency: true,
          },
          CONNECT_TIMEOUT_MS,
        ),
      ),
    );
    await sleep(SETTLE_MS);
    const after = await server.memory();
    await broadcastToAll(server, swarmList);
    const cpuBefore = await server.cpuMicros();
    const times: number[] = [];
    for (let b = 0; b < broadcasts; b++) times.push(await broadcastToAll(server, swarmList));
    const cpuMicros = (await server.cpuMicros()) - cpuBefore;
    return {
      rssPerConnection: (after.rss - before.rss) / 1024 / count,
      heapPerConnection: (after.heapUsed - before.heapUsed) / 1024 / count,
      externalPerConnection: (after.external - before.external) / 1024 / count,
      // Each swarm starts its clock after signing its tokens; the slowest one sets the rate.
      connectionsPerSecond: count / (Math.max(...elapsed) / 1000),
      cpuMicrosPerDelivery: cpuMicros / (broadcasts * count),
      allReceivedMs: times.sort((x, y) => x - y)[Math.floor(times.length / 2)] ?? Number.NaN,
    };
  });
}

/**
 * One broadcast to every client; resolves with the time from the server's send stamp until the
 * last client had it (the swarms time every message on the clock all processes share).
 */
async function broadcastToAll(server: ServerProcess, swarms: readonly SwarmProcess[]): Promise<number> {
  await Promise.all(swarms.map(swarm => swarm.resetCount()));
  await server.broadcast({ count: 1, burst: 1 }, BROADCAST_TIMEOUT_MS);
  await Promise.all(swarms.map(swarm => swarm.waitReceived(swarm.clients, BROADCAST_TIMEOUT_MS)));
  const latencies = await Promise.all(swarms.map(swarm => swarm.takeLatencies()));
  return Math.max(...latencies.flat());
}

/** Fails before any process starts when the server could not hold `count` sockets. */
function checkFileLimit(count: number): void {
  let limit: number;
  try {
    limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  } catch {
    return;
  }
  if (Number.isFinite(limit) && limit < count + SPARE_FILES)
    throw new Error(
      `scale: ${count} connections need ulimit -n of at least ${count + SPARE_FILES} (it is ${limit})`,
    );
}
