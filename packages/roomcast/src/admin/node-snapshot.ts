import type { WebSocketServer } from '@roomcast/server';
import type { LogEntry } from './recent-warnings';

/** What one node tells the dashboard about itself: counters as totals, rates come later. */
export interface NodeSnapshot {
  nodeId: string;
  status: 'healthy' | 'degraded' | 'stopping';
  at: number;
  uptimeMs: number;
  connections: number;
  rooms: number;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
  rateLimited: number;
  slowConsumersClosed: number;
  busConnected: boolean;
  memory: { rss: number; heapUsed: number };
  warnings: LogEntry[];
}

const SLOW_CONSUMERS = /^roomcast_slow_consumers_closed_total\{[^}]*\} (\d+)$/m;

export function snapshotNode(server: WebSocketServer, warnings: LogEntry[]): NodeSnapshot {
  const health = server.getHealth();
  const { rss, heapUsed } = process.memoryUsage();
  return {
    nodeId: health.nodeId,
    status: health.status,
    at: Date.now(),
    uptimeMs: health.uptimeMs,
    connections: health.activeConnections,
    rooms: health.rooms,
    messagesIn: health.messagesIn,
    messagesOut: health.messagesOut,
    dropped: health.dropped,
    rateLimited: health.rateLimited,
    slowConsumersClosed: slowConsumersClosed(server),
    busConnected: health.bus.connected,
    memory: { rss, heapUsed },
    warnings,
  };
}

/**
 * `getHealth()` has no slow-consumer count, but `/metrics` does: read it there rather than
 * change the server's public Health shape for the dashboard alone.
 */
function slowConsumersClosed(server: WebSocketServer): number {
  const found = SLOW_CONSUMERS.exec(server.metrics());
  return found?.[1] ? Number(found[1]) : 0;
}
