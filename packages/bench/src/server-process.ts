/**
 * One system under test in its own process, driven by the orchestrator: it broadcasts when told
 * and reports its own CPU time and memory, so neither includes the clients'.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { nowMs, sleepUntil } from './clock';
import { benchMessage } from './message';
import { serveRpc } from './rpc';
import { type RunningSystem, SYSTEMS, type SystemName, type SystemOptions } from './systems';

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
}

let system: RunningSystem | undefined;
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
    system = await SYSTEMS[name](options);
    return { url: system.url, clientKind: system.clientKind };
  },
  broadcast: async ({ roomName, count, burst }: BroadcastArgs) => {
    const target = running();
    for (let sent = 0; sent < count; ) {
      for (let i = 0; i < burst && sent < count; i++, sent++) broadcastOne(target, roomName);
      // A new turn between bursts: what would coalesce is one burst, never the whole run.
      await nextTurn();
    }
  },
  paced: async ({ roomName, count, intervalMs }: PacedArgs) => {
    const target = running();
    const start = nowMs();
    // Scheduled from the start, not from the previous send, so a slow turn does not stretch the run.
    for (let i = 0; i < count; i++) {
      await sleepUntil(start + i * intervalMs);
      broadcastOne(target, roomName);
    }
  },
  cpu: () => process.cpuUsage(),
  memory: () => {
    // Started with --expose-gc: measure what is live, not what the collector has not reached yet.
    globalThis.gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    return { rss, heapUsed };
  },
  stop: async () => {
    await system?.stop();
    system = undefined;
  },
});
