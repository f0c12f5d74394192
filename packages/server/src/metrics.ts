import { type MetricFamily, type MetricType, oncePerScrape, type Sample } from './observability/exposition';
import {
  FANOUT_DURATION_BUCKETS,
  HANDLER_DURATION_BUCKETS,
  Histogram,
  type HistogramSeries,
} from './observability/histogram';

/** Where a broadcast went: the label of the fan-out histogram (four values, never more). */
export type FanoutTarget = 'all' | 'room' | 'users' | 'clients';

/** Counters and histograms of one node, read by `getHealth()` and `metrics()`. */
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
  /** Per declared route (keyed by the route's record, labelled `type.action`). */
  readonly handlerDuration = new Histogram<{ type: string; action: string }>(
    'route',
    HANDLER_DURATION_BUCKETS,
  );
  readonly fanoutDuration = new Histogram<FanoutTarget>('target', FANOUT_DURATION_BUCKETS);
  /** The fan-out series, made up front: a broadcast records without a lookup. */
  readonly fanout: Readonly<Record<FanoutTarget, HistogramSeries>> = {
    all: this.fanoutDuration.series('all', String),
    room: this.fanoutDuration.series('room', String),
    users: this.fanoutDuration.series('users', String),
    clients: this.fanoutDuration.series('clients', String),
  };
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

type Reading = (health: Health, metrics: Metrics) => number;

/** name (after `roomcast_`), type, HELP, and where its one sample's value comes from. */
const SINGLE_VALUE_FAMILIES: readonly (readonly [string, MetricType, string, Reading])[] = [
  ['connections_open', 'gauge', 'Open WebSocket connections on this node.', h => h.activeConnections],
  ['rooms', 'gauge', 'Rooms with at least one member on this node.', h => h.rooms],
  ['bus_connected', 'gauge', '1 when the bus reaches other nodes.', h => (h.bus.connected ? 1 : 0)],
  ['uptime_seconds', 'gauge', 'Seconds since the server started.', h => Math.floor(h.uptimeMs / 1000)],
  ['connections_total', 'counter', 'Connections accepted.', (_, m) => m.connectionsTotal],
  [
    'upgrades_rejected_total',
    'counter',
    'Upgrades refused (auth, origin, limits).',
    (_, m) => m.rejectedUpgrades,
  ],
  ['messages_in_total', 'counter', 'Frames received from clients.', h => h.messagesIn],
  ['messages_out_total', 'counter', 'Frames sent to clients.', h => h.messagesOut],
  ['messages_dropped_total', 'counter', 'Frames not sent to slow consumers.', h => h.dropped],
  ['rate_limited_total', 'counter', 'Frames refused by the rate limit.', h => h.rateLimited],
  [
    'slow_consumers_closed_total',
    'counter',
    'Clients closed as slow consumers.',
    (_, m) => m.slowConsumersClosed,
  ],
  ['bus_malformed_total', 'counter', 'Bus messages ignored as malformed.', (_, m) => m.busMalformed],
];

/**
 * Roomcast's metric families, each sample labelled with the node's id; `readHealth` is called
 * once per scrape. The open-connections gauge is `roomcast_connections_open`: a gauge named
 * `roomcast_connections` would be the same family as the counter `roomcast_connections_total`
 * to OpenMetrics parsers.
 */
export function roomcastFamilies(readHealth: () => Health, metrics: Metrics): MetricFamily[] {
  const health = oncePerScrape(readHealth);
  const single = SINGLE_VALUE_FAMILIES.map(([name, type, help, read]): MetricFamily => {
    const metricName = `roomcast_${name}`;
    const collect = (): Sample[] => {
      const snapshot = health();
      return [{ metricName, labels: { node: snapshot.nodeId }, value: read(snapshot, metrics) }];
    };
    return { name: metricName, type, help, collect };
  });
  const histogram = (name: string, help: string, of: Pick<Histogram, 'samples'>): MetricFamily => {
    const metricName = `roomcast_${name}`;
    const collect = () => of.samples(metricName, { node: health().nodeId });
    return { name: metricName, type: 'histogram', help, collect };
  };
  return [
    ...single,
    histogram(
      'handler_duration_seconds',
      'Time from a frame received to its route settled (middleware, schema, handler), by declared route.',
      metrics.handlerDuration,
    ),
    histogram(
      'broadcast_fanout_duration_seconds',
      'Time to frame a broadcast and hand it to every matching socket of this node, by target.',
      metrics.fanoutDuration,
    ),
  ];
}
