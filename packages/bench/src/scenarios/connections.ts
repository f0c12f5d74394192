import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { ROOM, type ScenarioContext, selectSystems } from './context';

const TIMEOUT_MS = 180_000;
// Lets the last joins' garbage become garbage before the collector runs for the memory reading.
const SETTLE_MS = 500;

interface ConnectionRun {
  connectionsPerSecond: number;
  rssPerConnection: number;
  heapPerConnection: number;
  externalPerConnection: number;
}

/**
 * Scenarios 5 and 4 on one fresh server per run: first `timed` clients connect with a JWT and
 * join a room as fast as the server takes them (connections/s); then more join until `idle`
 * connections sit authenticated in the room, and the server's RSS and heap growth since it
 * started, divided by the connections, is the memory per idle connection.
 */
export async function connections(ctx: ScenarioContext): Promise<Measurement[]> {
  const { timed, idle, concurrency } = ctx.config.connections;
  const out: Measurement[] = [];
  for (const system of selectSystems(ctx, ['roomcast', 'ws', 'socket.io'] as const)) {
    ctx.log(`connections: ${system}, ${timed} timed, ${idle} idle`);
    const runs: ConnectionRun[] = [];
    for (let i = 0; i < ctx.config.runs; i++) {
      runs.push(
        await withProcesses(async own => {
          const jwtSecret = randomBytes(32).toString('hex');
          const server = own(await ServerProcess.start(system, { jwtSecret }, ctx.harness));
          const swarm = own(new SwarmProcess());
          const before = await server.memory();
          const connect = {
            kind: server.clientKind,
            url: server.url,
            roomName: ROOM,
            concurrency,
            jwtSecret,
          };
          const elapsedMs = await swarm.connect({ ...connect, count: timed }, TIMEOUT_MS);
          await swarm.connect({ ...connect, count: idle - timed }, TIMEOUT_MS);
          await sleep(SETTLE_MS);
          const after = await server.memory();
          return {
            connectionsPerSecond: timed / (elapsedMs / 1000),
            rssPerConnection: (after.rss - before.rss) / 1024 / idle,
            heapPerConnection: (after.heapUsed - before.heapUsed) / 1024 / idle,
            externalPerConnection: (after.external - before.external) / 1024 / idle,
          };
        }),
      );
    }
    const rate = {
      scenario: '5. connection rate',
      case: `${formatCount(timed)} clients, JWT + join`,
      system,
    };
    out.push(...measurementsOf(rate, runs, ['connectionsPerSecond']));
    const memory = {
      scenario: '4. memory per idle connection',
      case: `${formatCount(idle)} connections, authenticated, in a room`,
      system,
    };
    out.push(
      ...measurementsOf(memory, runs, ['rssPerConnection', 'heapPerConnection', 'externalPerConnection']),
    );
  }
  return out;
}
