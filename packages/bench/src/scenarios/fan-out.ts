import { formatCount } from '../config';
import { type FanOutResult, runFanOut } from '../fan-out-run';
import { ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, measurementsOf } from '../measurement';
import { formatNumber } from '../report';
import type { SystemName } from '../systems';
import { freshAppName, ROOM, type ScenarioContext, selectSystems } from './context';

interface FanOutCase {
  system: SystemName;
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
    for (const system of selectSystems(ctx, ['roomcast', 'ws', 'ws-preframed', 'socket.io'] as const)) {
      const runs = await measureFanOut(ctx, { system, nodes: 1, roomSize, broadcasts, burst: 1 });
      const base = {
        scenario: '1. fan-out, one node',
        case: `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts`,
        system,
      };
      out.push(...measurementsOf(base, runs, METRICS));
    }
  }
  return out;
}

/** Scenario 2: two nodes and Redis, half the room on each node, broadcasts issued on node 1. */
export async function fanOutCluster(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, broadcasts } = ctx.config.cluster;
  const out: Measurement[] = [];
  for (const system of selectSystems(ctx, ['roomcast', 'socket.io'] as const)) {
    const runs = await measureFanOut(ctx, { system, nodes: 2, roomSize, broadcasts, burst: 1 });
    const base = {
      scenario: '2. fan-out, 2 nodes + Redis',
      case: `room of ${formatCount(roomSize)}, half on each node, ${broadcasts} broadcasts`,
      system: `${system} + redis` as const,
    };
    out.push(...measurementsOf(base, runs, METRICS));
  }
  return out;
}

/** Past the limit: bursts of broadcasts in one turn, where coalescing writes per socket pays. */
export async function fanOutBursts(ctx: ScenarioContext): Promise<Measurement[]> {
  const { roomSize, broadcasts, burst } = ctx.config.bursts;
  const out: Measurement[] = [];
  for (const system of selectSystems(ctx, ['roomcast', 'ws-preframed', 'ws-preframed-coalesced'] as const)) {
    const runs = await measureFanOut(ctx, { system, nodes: 1, roomSize, broadcasts, burst });
    const base = {
      scenario: 'bursts: coalescing writes per socket',
      case: `room of ${formatCount(roomSize)}, ${broadcasts} broadcasts in bursts of ${burst}`,
      system,
    };
    out.push(...measurementsOf(base, runs, METRICS));
  }
  return out;
}

async function measureFanOut(ctx: ScenarioContext, c: FanOutCase): Promise<FanOutResult[]> {
  ctx.log(`fan-out: ${c.system} on ${c.nodes} node(s), room of ${c.roomSize}, bursts of ${c.burst}`);
  const options = c.nodes === 2 ? { redis: { ...ctx.redis, appName: freshAppName() } } : {};
  const servers: ServerProcess[] = [];
  const swarms: SwarmProcess[] = [];
  return withProcesses(async own => {
    for (let node = 0; node < c.nodes; node++) {
      servers.push(own(await ServerProcess.start(c.system, options, ctx.harness)));
      swarms.push(own(new SwarmProcess()));
    }
    await Promise.all(
      servers.map((server, node) =>
        swarms[node]!.connect(
          {
            kind: server.clientKind,
            url: server.url,
            roomName: ROOM,
            count: shareOf(c.roomSize, c.nodes, node),
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
        burst: c.burst,
        timeoutMs: RUN_TIMEOUT_MS,
      });
    await run(ctx.config.warmupBroadcasts);
    const results: FanOutResult[] = [];
    for (let i = 0; i < ctx.config.runs; i++) {
      const result = await run(c.broadcasts);
      ctx.log(
        `  ${formatNumber(result.deliveriesPerSecond)} deliveries/s, ${formatNumber(result.cpuMicrosPerDelivery)} µs/delivery`,
      );
      results.push(result);
    }
    return results;
  });
}

/** Node `node`'s share of `total` clients split over `nodes` nodes. */
export function shareOf(total: number, nodes: number, node: number): number {
  return Math.floor(total / nodes) + (node < total % nodes ? 1 : 0);
}
