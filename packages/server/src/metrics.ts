/** Counters of one node, read by `getHealth()` and `metrics()`. */
export class Metrics {
  messagesIn = 0;
  messagesOut = 0;
  dropped = 0;
  rateLimited = 0;
  connectionsTotal = 0;
  rejectedUpgrades = 0;
  slowConsumersClosed = 0;
  busMalformed = 0;
  readonly startedAt = Date.now();
}

export interface Health {
  status: 'healthy' | 'degraded' | 'stopping';
  nodeId: string;
  uptimeMs: number;
  activeConnections: number;
  rooms: number;
  messagesIn: number;
  messagesOut: number;
  dropped: number;
  rateLimited: number;
  bus: { connected: boolean };
}

/** What of a health snapshot is not a counter: the server knows it. */
export interface HealthState {
  stopping: boolean;
  nodeId: string;
  bus: { connected: boolean };
  activeConnections: number;
  rooms: number;
}

/** `getHealth()`: the state given and this node's counters. */
export function healthOf(
  metrics: Metrics,
  { stopping, nodeId, bus, activeConnections, rooms }: HealthState,
): Health {
  return {
    status: stopping ? 'stopping' : bus.connected ? 'healthy' : 'degraded',
    nodeId,
    uptimeMs: Date.now() - metrics.startedAt,
    activeConnections,
    rooms,
    messagesIn: metrics.messagesIn,
    messagesOut: metrics.messagesOut,
    dropped: metrics.dropped,
    rateLimited: metrics.rateLimited,
    bus: { connected: bus.connected },
  };
}

/** Prometheus text exposition of a health snapshot and the counters. */
export function toPrometheus(health: Health, metrics: Metrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'counter' | 'gauge', help: string, value: number) => {
    lines.push(`# HELP roomcast_${name} ${help}`, `# TYPE roomcast_${name} ${type}`);
    lines.push(`roomcast_${name}{node="${health.nodeId}"} ${value}`);
  };
  metric('connections', 'gauge', 'Open WebSocket connections on this node.', health.activeConnections);
  metric('rooms', 'gauge', 'Rooms with at least one member on this node.', health.rooms);
  metric('bus_connected', 'gauge', '1 when the bus reaches other nodes.', health.bus.connected ? 1 : 0);
  metric('uptime_seconds', 'gauge', 'Seconds since the server started.', Math.floor(health.uptimeMs / 1000));
  metric('connections_total', 'counter', 'Connections accepted.', metrics.connectionsTotal);
  metric(
    'upgrades_rejected_total',
    'counter',
    'Upgrades refused (auth, origin, limits).',
    metrics.rejectedUpgrades,
  );
  metric('messages_in_total', 'counter', 'Frames received from clients.', health.messagesIn);
  metric('messages_out_total', 'counter', 'Frames sent to clients.', health.messagesOut);
  metric('messages_dropped_total', 'counter', 'Frames not sent to slow consumers.', health.dropped);
  metric('rate_limited_total', 'counter', 'Frames refused by the rate limit.', health.rateLimited);
  metric(
    'slow_consumers_closed_total',
    'counter',
    'Clients closed as slow consumers.',
    metrics.slowConsumersClosed,
  );
  metric('bus_malformed_total', 'counter', 'Bus messages ignored as malformed.', metrics.busMalformed);
  return `${lines.join('\n')}\n`;
}
