import { formatCount } from '../config';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import type { Measurement } from '../measurement';
import { formatNumber } from '../report';
import { ROOM, type ScenarioContext, selectSystems } from './context';
import { measureFanOut } from './fan-out';
import { PRESENCE_CASES } from './presence-storm-cases';
import { deployPaced, type PacedDeployment } from './write-delay';

export const JOIN_CURVE = 'curve: joins into a presence room';
export const SIZE_CURVE = 'curve: fan-out by room size, one node';
export const RATE_CURVE = 'curve: fan-out by broadcast rate, one node';

const TIMEOUT_MS = 300_000;
// Joins are over once nothing arrived for this long past the room's batch interval.
const QUIET_MS = 300;
const NO_PRESENCE = 'roomcast, no presence';

/**
 * Issue 22's growth curves: how a cost grows with what it depends on, each point beside its
 * baseline at the same point. Joins into a presence room of each size (batched and count presence
 * against none; per-event presence is left out: filling its room costs the square of its size);
 * CPU per delivery by room size, and by offered broadcast rate, against the pre-framed loop.
 */
export async function curves(ctx: ScenarioContext): Promise<Measurement[]> {
  return [...(await joinCurve(ctx)), ...(await sizeCurve(ctx)), ...(await rateCurve(ctx))];
}

/**
 * One server per presence setting; its room grows through the sizes. At each size, `joins` more
 * clients connect and join (in a swarm of their own, which then leaves), `runs` times: server CPU
 * from before the first of them until the room is quiet, per join.
 */
async function joinCurve(ctx: ScenarioContext): Promise<Measurement[]> {
  if (selectSystems(ctx, ['roomcast'] as const).length === 0) return [];
  const { joinSizes, joins } = ctx.config.curves;
  const { concurrency } = ctx.config.presenceStorm;
  const out: Measurement[] = [];
  for (const { label, presence, batchMs } of PRESENCE_CASES.filter(c => c.presence !== true)) {
    await withProcesses(async own => {
      const server = own(await ServerProcess.start('roomcast', { presence }, ctx.harness));
      const connect = { kind: server.clientKind, url: server.url, roomName: ROOM, concurrency };
      const members = own(new SwarmProcess());
      for (const size of joinSizes) {
        ctx.log(`curves: ${label}, ${joins} joins into a room of ${size}`);
        await members.connect({ ...connect, count: size - members.clients }, TIMEOUT_MS);
        await members.quiet(batchMs + QUIET_MS, TIMEOUT_MS);
        const values: number[] = [];
        for (let i = 0; i < ctx.config.runs; i++) {
          const joiner = own(new SwarmProcess());
          const before = await server.cpuMicros();
          await joiner.connect({ ...connect, count: joins }, TIMEOUT_MS);
          // The joiners are in the room too: once they hear nothing more, every member has it all.
          await joiner.quiet(batchMs + QUIET_MS, TIMEOUT_MS);
          values.push(((await server.cpuMicros()) - before) / joins);
          await joiner.stop();
          await members.quiet(batchMs + QUIET_MS, TIMEOUT_MS);
        }
        out.push({
          scenario: JOIN_CURVE,
          case: `${joins} joins into a room of ${formatCount(size)}`,
          system: label,
          metric: 'cpuMicrosPerJoin',
          values,
          curve: { axis: 'room size', x: size, baseline: NO_PRESENCE },
        });
      }
    });
  }
  return out;
}

/** Scenario 1 at each room size, `deliveries` per run: roomcast against the pre-framed loop. */
async function sizeCurve(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSizes, deliveries } = ctx.config.curves;
  const systems = selectSystems(ctx, ['roomcast', 'ws-preframed'] as const);
  if (systems.length === 0) return [];
  const out: Measurement[] = [];
  for (const roomSize of roomSizes) {
    ctx.log(`curves: fan-out into a room of ${roomSize}`);
    const broadcasts = Math.max(1, Math.round(deliveries / roomSize));
    const runs = await measureFanOut(ctx, systems, { nodes: 1, roomSize, broadcasts, burst: 1 });
    systems.forEach((system, i) => {
      out.push({
        scenario: SIZE_CURVE,
        case: `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts`,
        system,
        metric: 'cpuMicrosPerDelivery',
        values: runs[i]!.map(run => run.cpuMicrosPerDelivery),
        curve: { axis: 'room size', x: roomSize, baseline: 'ws-preframed' },
      });
    });
  }
  return out;
}

/**
 * One room of `rateRoomSize`, `deliveries` per run, broadcasts paced at each rate, each in a
 * turn of its own (the write-delay scenario's pacing; at the top rate the server falls behind and
 * broadcasts as fast as it can, still one per turn). Roomcast at its defaults against the loop.
 */
async function rateCurve(ctx: ScenarioContext): Promise<Measurement[]> {
  const { rates, rateRoomSize, deliveries } = ctx.config.curves;
  const systems = selectSystems(ctx, ['roomcast', 'ws-preframed'] as const);
  if (systems.length === 0) return [];
  const broadcasts = Math.max(1, Math.round(deliveries / rateRoomSize));
  return withProcesses(async own => {
    const deployments: PacedDeployment[] = [];
    for (const system of systems) {
      ctx.log(`curves: ${system}, paced broadcasts into a room of ${rateRoomSize}`);
      deployments.push(await deployPaced(ctx, { label: system, system }, rateRoomSize, own));
    }
    const out: Measurement[] = [];
    for (const rate of rates) {
      const values = systems.map((): number[] => []);
      // Interleaved, as in the fan-out scenarios: a slow moment lands on both systems.
      for (let i = 0; i < ctx.config.runs; i++) {
        for (const [d, run] of deployments.entries()) {
          const { cpuMicrosPerDelivery } = await run(broadcasts, 1000 / rate);
          ctx.log(`  ${systems[d]}, ${rate}/s: ${formatNumber(cpuMicrosPerDelivery)} µs/delivery`);
          values[d]!.push(cpuMicrosPerDelivery);
        }
      }
      systems.forEach((system, d) => {
        out.push({
          scenario: RATE_CURVE,
          case: `room of ${formatCount(rateRoomSize)}, ${broadcasts} broadcasts at ${formatCount(rate)}/s`,
          system,
          metric: 'cpuMicrosPerDelivery',
          values: values[d]!,
          curve: { axis: 'broadcasts/s offered', x: rate, baseline: 'ws-preframed' },
        });
      });
    }
    return out;
  });
}
