/**
 * One system under test in its own process, driven by the orchestrator: it broadcasts when told
 * and reports its own CPU time and memory, so neither includes the clients'. The same process
 * runs a publisher instead (an emitter, an HTTP API client: `startPublisher`); either is loaded
 * on demand, so a publisher process holds only its client.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowMs, sleepUntil } from './clock';
import { benchMessage } from './message';
import type { PublisherOptions, RunningPublisher } from './publishers';
import { serveRpc } from './rpc';
import type { RunningSystem, SystemName, SystemOptions } from './systems';

export interface BroadcastArgs {
  /** A room, or undefined for every client. */
  roomName?: string;
  count: number;
  /** Broadcasts issued back to back in one event-loop turn. */
  burst: number;
}

export interface PacedArgs {
  roomName: string;
  count: number;
  intervalMs: number;
  /**
   * A broadcast that is already late still gets an event-loop turn of its own, so a server that
   * falls behind does not get bursts within one turn to coalesce (the write-delay scenario).
   */
  turnEach?: boolean;
}

export interface PublishArgs {
  roomName: string;
  count: number;
  /** Publishes in flight at most. */
  window: number;
}

let system: RunningSystem | undefined;
let publisher: RunningPublisher | undefined;
let seq = 0;

function running(): RunningSystem {
  if (!system) throw new Error('start the system first');
  return system;
}

function broadcastOne(target: RunningSystem, roomName: string | undefined): void {
  const message = benchMessage(seq++);
  if (roomName === undefined) target.broadcastToAll(message);
  else target.broadcastToRoom(roomName, message);
}

serveRpc({
  start: async ({ name, options }: { name: SystemName; options: SystemOptions }) => {
    const { SYSTEMS } = await import('./systems');
    system = await SYSTEMS[name](options);
    return { url: system.url, clientKind: system.clientKind };
  },
  startPublisher: async (options: PublisherOptions) => {
    const { startPublisher } = await import('./publishers');
    publisher = await startPublisher(options);
  },
  publish: async ({ roomName, count, window }: PublishArgs) => {
    if (!publisher) throw new Error('start the publisher first');
    const started = nowMs();
    await publisher.publish(roomName, count, window);
    return { elapsedMs: nowMs() - started };
  },
  broadcast: async ({ roomName, count, burst }: BroadcastArgs) => {
    const target = running();
    for (let sent = 0; sent < count; ) {
      for (let i = 0; i < burst && sent < count; i++, sent++) broadcastOne(target, roomName);
      // A new turn between bursts: what would coalesce is one burst, never the whole run.
      await nextTurn();
    }
  },
  paced: async ({ roomName, count, intervalMs, turnEach = false }: PacedArgs) => {
    const target = running();
    const start = nowMs();
    // Scheduled from the start, not from the previous send, so a slow turn does not stretch the run.
    for (let i = 0; i < count; i++) {
      const at = start + i * intervalMs;
      if (turnEach && at <= nowMs()) await nextTurn();
      else await sleepUntil(at);
      broadcastOne(target, roomName);
    }
  },
  cpu: () => process.cpuUsage(),
  memory: () => {
    // Started with --expose-gc: measure what is live, not what the collector has not reached yet.
    globalThis.gc?.();
    // external: Buffers and other memory outside the V8 heap that V8 is told about.
    const { rss, heapUsed, external } = process.memoryUsage();
    return { rss, heapUsed, external };
  },
  stop: async () => {
    await system?.stop();
    await publisher?.stop();
    system = undefined;
    publisher = undefined;
  },
});
