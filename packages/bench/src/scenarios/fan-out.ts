import { formatCount } from '../config';
import { type FanOutResult, runFanOut } from '../fan-out-run';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { formatNumber } from '../report';
import type { SystemName } from '../systems';
import { freshAppName, ROOM, type ScenarioContext, selectSystems } from './context';

export interface FanOutShape {
  /** 2: a cluster on the bench's Redis, clients split evenly, broadcasts issued on node 1. */
  nodes: 1 | 2;
  roomSize: number;
  broadcasts: number;
  burst: number;
}

const RUN_TIMEOUT_MS = 120_000;
const METRICS = ['deliveriesPerSecond', 'cpuMicrosPerDelivery'] as const;

/** Scenario 1: one node, rooms of each size, one broadcast per event-loop turn. */
export async function fanOutOneNode(ctx: ScenarioContext): Promise<Measurement[]> {
  const out: Measurement[] = [];
  for (const { roomSize, broadcasts } of ctx.config.fanOut) {
    const systems = selectSystems(ctx, ['roomcast', 'ws', 'ws-preframed', 'socket.io'] as const);
    const runs = await measureFanOut(ctx, systems, { nodes: 1, roomSize, broadcasts, burst: 1 });
    const scenario = '1. fan-out, one node';
    const caseName = `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts`;
    systems.forEach((system, i) => {
      out.push(...measurementsOf({ scenario, case: caseName, system }, runs[i]!, METRICS));
    });
  }
  return out;
}

/** Scenario 2: two nodes and Redis, half the room on each node, broadcasts issued on node 1. */
export async function fanOutCluster(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, broadcasts } = ctx.config.cluster;
  // The pre-framed loops on Redis are the floor: what a node must do at least (scenario 1's limit).
  const systems = selectSystems(ctx, [
    'roomcast',
    'socket.io',
    'ws-preframed',
    'ws-preframed-coalesced',
  ] as const);
  const runs = await measureFanOut(ctx, systems, { nodes: 2, roomSize, broadcasts, burst: 1 });
  const scenario = '2. fan-out, 2 nodes + Redis';
  const caseName = `room of ${formatCount(roomSize)}, half on each node, ${broadcasts} broadcasts`;
  return systems.flatMap((system, i) =>
    measurementsOf({ scenario, case: caseName, system: `${system} + redis` as const }, runs[i]!, METRICS),
  );
}

/**
 * The MessagePack row: scenario 1's first room, its clients on roomcast.v1.msgpack, beside the
 * same server's JSON clients. The server encodes each broadcast once per codec in use.
 */
export async function fanOutCodecs(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, broadcasts } = ctx.config.fanOut[0]!;
  const systems = selectSystems(ctx, ['roomcast-msgpack', 'roomcast'] as const);
  const runs = await measureFanOut(ctx, systems, { nodes: 1, roomSize, broadcasts, burst: 1 });
  const scenario = '1c. fan-out by codec, one node';
  const caseName = `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts, MessagePack vs JSON clients`;
  return systems.flatMap((system, i) =>
    measurementsOf({ scenario, case: caseName, system }, runs[i]!, METRICS),
  );
}

/** Past the limit: bursts of broadcasts in one turn, where coalescing writes per socket pays. */
export async function fanOutBursts(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, broadcasts, burst } = ctx.config.bursts;
  const systems = selectSystems(ctx, ['roomcast', 'ws-preframed', 'ws-preframed-coalesced'] as const);
  const runs = await measureFanOut(ctx, systems, { nodes: 1, roomSize, broadcasts, burst });
  const scenario = 'bursts: coalescing writes per socket';
  const caseName = `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts in bursts of ${burst}`;
  return systems.flatMap((system, i) =>
    measurementsOf({ scenario, case: caseName, system }, runs[i]!, METRICS),
  );
}

/** The servers and client swarms of one system, connected and warmed up. */
interface Deployment {
  system: SystemName;
  run(broadcasts: number): Promise<FanOutResult>;
}

/**
 * Deploys every system at once (idle ones cost nothing), then interleaves their runs: A B C,
 * A B C, ... A moment when the shared machine is slow then lands on every system, not on all of
 * one system's runs, so it moves the numbers but not the ratios. Returns the runs per system.
 */
export async function measureFanOut(
  ctx: ScenarioContext,
  systems: readonly SystemName[],
  shape: FanOutShape,
): Promise<FanOutResult[][]> {
  return withProcesses(async own => {
    const deployments: Deployment[] = [];
    for (const system of systems) deployments.push(await deploy(ctx, system, shape, own));
    const results = deployments.map((): FanOutResult[] => []);
    for (let i = 0; i < ctx.config.runs; i++) {
      for (const [d, deployment] of deployments.entries()) {
        const result = await deployment.run(shape.broadcasts);
        ctx.log(
          `  ${deployment.system}: ${formatNumber(result.deliveriesPerSecond)} deliveries/s, ${formatNumber(result.cpuMicrosPerDelivery)} µs/delivery`,
        );
        results[d]!.push(result);
      }
    }
    return results;
  });
}

async function deploy(
  ctx: ScenarioContext,
  system: SystemName,
  shape: FanOutShape,
  own: <P extends ServerProcess | SwarmProcess>(process: P) => P,
): Promise<Deployment> {
  ctx.log(
    `fan-out: ${system} on ${shape.nodes} node(s), room of ${shape.roomSize}, bursts of ${shape.burst}`,
  );
  const options = shape.nodes === 2 ? { redis: { ...ctx.redis, appName: freshAppName() } } : {};
  const servers: ServerProcess[] = [];
  const swarms: SwarmProcess[] = [];
  for (let node = 0; node < shape.nodes; node++) {
    servers.push(own(await ServerProcess.start(system, options, ctx.harness)));
    swarms.push(own(new SwarmProcess()));
  }
  await Promise.all(
    servers.map((server, node) =>
      swarms[node]!.connect(
        {
          kind: server.clientKind,
          url: server.url,
          roomName: ROOM,
          count: shareOf(shape.roomSize, shape.nodes, node),
          concurrency: ctx.config.connections.concurrency,
        },
        RUN_TIMEOUT_MS,
      ),
    ),
  );
  const run = (broadcasts: number) =>
    runFanOut({
      origin: servers[0]!,
      servers,
      swarms,
      roomName: ROOM,
      broadcasts,
      burst: shape.burst,
      timeoutMs: RUN_TIMEOUT_MS,
    });
  // One unmeasured run of the same size: a few broadcasts left the first measured run slower.
  await run(shape.broadcasts);
  return { system, run };
}

/** Node `node`'s share of `total` clients split over `nodes` nodes. */
export function shareOf(total: number, nodes: number, node: number): number {
  return Math.floor(total / nodes) + (node < total % nodes ? 1 : 0);
}
