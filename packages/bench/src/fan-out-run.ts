import { nowMs } from './clock';
import type { ServerProcess, SwarmProcess } from './harness';

export interface FanOutRun {
  /** Issue the broadcasts here. */
  origin: ServerProcess;
  /** Every server whose CPU counts (the origin and, on a cluster, the other nodes). */
  servers: readonly ServerProcess[];
  swarms: readonly SwarmProcess[];
  roomName: string;
  broadcasts: number;
  burst: number;
  /** Upper bound for the whole run. */
  timeoutMs: number;
}

export interface FanOutResult {
  deliveriesPerSecond: number;
  cpuMicrosPerDelivery: number;
}

// Deliveries in flight per window: enough to keep every pipe busy, few enough that no system's
// send buffers hold more than a few MB (and no slow-consumer limit trips).
const DELIVERIES_PER_WINDOW = 100_000;

/**
 * Broadcasts `broadcasts` messages to a room and waits until every client got every one.
 * Issued in windows, at most two in flight: the server is never more than one window ahead of
 * its slowest client, as a server with well-behaved clients would be.
 */
export async function runFanOut(run: FanOutRun): Promise<FanOutResult> {
  const members = run.swarms.reduce((sum, swarm) => sum + swarm.clients, 0);
  const window = Math.max(run.burst, Math.round(DELIVERIES_PER_WINDOW / members / run.burst) * run.burst);
  const deadline = nowMs() + run.timeoutMs;
  const left = () => Math.max(1, deadline - nowMs());
  const received = (broadcasts: number) =>
    Promise.all(run.swarms.map(swarm => swarm.waitReceived(broadcasts * swarm.clients, left())));

  await Promise.all(run.swarms.map(swarm => swarm.resetCount()));
  const cpuBefore = await Promise.all(run.servers.map(server => server.cpuMicros()));
  const started = nowMs();
  for (let issued = 0; issued < run.broadcasts; ) {
    const count = Math.min(window, run.broadcasts - issued);
    await run.origin.broadcast({ roomName: run.roomName, count, burst: run.burst }, left());
    issued += count;
    await received(issued - count);
  }
  await received(run.broadcasts);
  const elapsedMs = nowMs() - started;
  const cpuAfter = await Promise.all(run.servers.map(server => server.cpuMicros()));
  const cpuMicros = cpuAfter.reduce((sum, after, i) => sum + after - cpuBefore[i]!, 0);
  const deliveries = run.broadcasts * members;
  return {
    deliveriesPerSecond: deliveries / (elapsedMs / 1000),
    cpuMicrosPerDelivery: cpuMicros / deliveries,
  };
}
