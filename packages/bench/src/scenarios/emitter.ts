import { randomBytes } from 'node:crypto';
import { nowMs } from '../clock';
import { formatCount } from '../config';
import { PublisherProcess, ServerProcess, SwarmProcess, withProcesses } from '../harness';
import { type Measurement, type Metric, measurementsOf } from '../measurement';
import type { PublisherKind } from '../publishers';
import type { SystemName } from '../systems';
import { freshAppName, ROOM, type ScenarioContext, selectSystems } from './context';

const TIMEOUT_MS = 120_000;
const HISTORY = { size: 100, ttlMs: 60_000 };

interface Case {
  publisher: PublisherKind;
  system: SystemName;
  /** The name `--systems` selects it by. */
  selectedAs: 'roomcast' | 'socket.io';
  durable: boolean;
}

const CASES: readonly Case[] = [
  { publisher: 'roomcast-emitter', system: 'roomcast', selectedAs: 'roomcast', durable: false },
  { publisher: 'socket.io-emitter', system: 'socket.io', selectedAs: 'socket.io', durable: false },
  { publisher: 'roomcast-emitter', system: 'roomcast', selectedAs: 'roomcast', durable: true },
  { publisher: 'http-api', system: 'roomcast-app', selectedAs: 'roomcast', durable: false },
  { publisher: 'http-api', system: 'roomcast-app', selectedAs: 'roomcast', durable: true },
];

/**
 * Scenario "emitter": publishing from a process outside the cluster, as a queue worker or another
 * service does. One node on Redis with clients in one room; a publisher process sends into the
 * room as fast as it is answered (`window` in flight) and reports when Redis (or the API) took
 * the last one. Roomcast's `createEmitter` beside Socket.IO's `@socket.io/redis-emitter` (to a
 * Socket.IO node with the redis-adapter), in a plain room and, Roomcast only, a history room
 * (every message appended with its offset); then `POST /api/broadcast` of a WebApplication from
 * a keep-alive HTTP client. Deliveries/s counts from the first publish to the last delivery.
 */
export async function emitterPublishing(ctx: ScenarioContext): Promise<Measurement[]> {
  const selected = new Set(selectSystems(ctx, ['roomcast', 'socket.io'] as const));
  const { clients, publishes, window, httpRequests, httpConcurrency } = ctx.config.emitter;
  const out: Measurement[] = [];
  for (const which of CASES.filter(c => selected.has(c.selectedAs))) {
    const http = which.publisher === 'http-api';
    const count = http ? httpRequests : publishes;
    const inFlight = http ? httpConcurrency : window;
    const room = which.durable ? 'history room (durable)' : 'plain room';
    ctx.log(`emitter: ${which.publisher} -> ${which.system} + redis, ${room}, ${count} publishes`);
    const runs = await withProcesses(async own => {
      const appName = freshAppName();
      const apiKey = http ? randomBytes(24).toString('hex') : undefined;
      const redis = { ...ctx.redis, appName };
      const history = which.durable ? HISTORY : undefined;
      const node = own(
        await ServerProcess.start(
          which.system,
          { redis, ...(history && { history }), ...(apiKey && { apiKey }) },
          ctx.harness,
        ),
      );
      const swarm = own(new SwarmProcess());
      await swarm.connect(
        { kind: node.clientKind, url: node.url, roomName: ROOM, count: clients, concurrency: clients },
        TIMEOUT_MS,
      );
      const publisher = own(
        await PublisherProcess.start({
          kind: which.publisher,
          redis,
          ...(history && { history }),
          ...(apiKey && { apiKey, url: node.url }),
        }),
      );
      const run = async (n: number) => {
        await swarm.resetCount();
        const cpuBefore = await publisher.cpuMicros();
        const started = nowMs();
        const elapsedMs = await publisher.publish({ roomName: ROOM, count: n, window: inFlight }, TIMEOUT_MS);
        await swarm.waitReceived(n * clients, TIMEOUT_MS);
        const deliveredMs = nowMs() - started;
        const cpu = (await publisher.cpuMicros()) - cpuBefore;
        return {
          publishesPerSecond: n / (elapsedMs / 1000),
          requestsPerSecond: n / (elapsedMs / 1000),
          deliveriesPerSecond: (n * clients) / (deliveredMs / 1000),
          cpuMicrosPerPublish: cpu / n,
        };
      };
      await run(Math.min(count, inFlight * 10));
      const results = [];
      for (let i = 0; i < ctx.config.runs; i++) results.push(await run(count));
      return results;
    });
    const metrics = [
      http ? 'requestsPerSecond' : 'publishesPerSecond',
      'deliveriesPerSecond',
      'cpuMicrosPerPublish',
    ] as const satisfies readonly Metric[];
    const how = http
      ? `HTTP API (POST /api/broadcast, ${inFlight} keep-alive connections)`
      : `emitter process (${inFlight} in flight)`;
    out.push(
      ...measurementsOf(
        {
          scenario: '6. publishing from outside the cluster, 1 node on Redis',
          case: `${how}, ${room}, ${formatCount(count)} publishes, ${formatCount(clients)} clients in the room`,
          system: which.selectedAs === 'roomcast' ? 'roomcast + redis' : 'socket.io + redis',
        },
        runs,
        metrics,
      ),
    );
  }
  return out;
}
