import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { ROOM, type ScenarioContext, selectSystems } from './context';
import { PRESENCE_CASES } from './presence-storm-cases';

const TIMEOUT_MS = 600_000;
// The storm is over once nothing arrived for this long past the room's batch interval.
const QUIET_MS = 1_500;

interface StormRun {
  serverCpuMsPerStorm: number;
  lastPresenceFrameMs: number;
  presenceFramesPerClient: number;
}

/**
 * Scenario 7 (issue 22): `clients` connect and join one room as fast as the server takes them,
 * on a fresh server per run, once per presence setting of the room. The server's CPU from the
 * first join until the room is quiet (the last presence frame delivered) is the storm's cost; the
 * last presence frame's arrival after the last join reply shows how stale batched presence gets.
 * `presence: true` runs with `perEventClients`: its cost grows with the square of the room.
 */
export async function presenceStorm(ctx: ScenarioContext): Promise<Measurement[]> {
  if (selectSystems(ctx, ['roomcast'] as const).length === 0) return [];
  const { clients, perEventClients, concurrency } = ctx.config.presenceStorm;
  const out: Measurement[] = [];
  for (const { label, presence, batchMs } of PRESENCE_CASES) {
    const count = presence === true ? perEventClients : clients;
    ctx.log(`presence storm: ${label}, ${count} joins`);
    const runs: StormRun[] = [];
    for (let i = 0; i < ctx.config.runs; i++) {
      runs.push(
        await withProcesses(async own => {
          const server = own(await ServerProcess.start('roomcast', { presence }, ctx.harness));
          const swarm = own(new SwarmProcess());
          const before = await server.cpuMicros();
          await swarm.connect(
            { kind: server.clientKind, url: server.url, roomName: ROOM, concurrency, count },
            TIMEOUT_MS,
          );
          const { received, lastAfterConnectMs } = await swarm.quiet(batchMs + QUIET_MS, TIMEOUT_MS);
          // Includes the quiet wait, when the server idles (its timers, a few ms).
          const cpuMs = ((await server.cpuMicros()) - before) / 1000;
          return {
            serverCpuMsPerStorm: cpuMs,
            lastPresenceFrameMs: lastAfterConnectMs,
            presenceFramesPerClient: received / count,
          };
        }),
      );
    }
    out.push(
      ...measurementsOf(
        { scenario: '7. presence storm', case: `${formatCount(count)} joins into one room`, system: label },
        runs,
        ['serverCpuMsPerStorm', 'lastPresenceFrameMs', 'presenceFramesPerClient'],
      ),
    );
  }
  return out;
}
