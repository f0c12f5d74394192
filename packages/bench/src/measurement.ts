import type { PresenceCase } from './scenarios/presence-storm-cases';
import type { RestartLabel } from './scenarios/restart-storm-cases';
import type { WriteDelayCase } from './scenarios/write-delay-cases';
import type { SystemName } from './systems';

/** What the table can show; the unit is part of the name so every cell says what it is. */
export const METRICS = {
  deliveriesPerSecond: 'deliveries/s',
  cpuMicrosPerDelivery: 'server CPU µs/delivery',
  p50: 'p50 ms',
  p99: 'p99 ms',
  max: 'max ms',
  rssPerConnection: 'RSS KiB/conn',
  heapPerConnection: 'heap KiB/conn',
  externalPerConnection: 'external KiB/conn',
  connectionsPerSecond: 'connections/s',
  publishesPerSecond: 'publishes/s',
  requestsPerSecond: 'requests/s',
  cpuMicrosPerPublish: 'publisher CPU µs/publish',
  serverCpuMsPerStorm: 'server CPU ms/storm',
  lastPresenceFrameMs: 'last presence frame after last join, ms',
  presenceFramesPerClient: 'presence frames/client',
  recoveredAllMs: 'every client back, ms',
  recoveredP50Ms: 'p50 client back, ms',
  closeToBackP50Ms: 'p50 own close → back, ms',
  peakCpuPercent: 'server peak CPU % (100 ms)',
  messagesLost: 'messages lost',
  messageDuplicates: 'messages shown twice (recovered clients)',
  clientsNotRecovered: 'clients told recovered: false',
  allReceivedMs: 'broadcast to all: last client has it, ms',
  cpuMicrosPerJoin: 'server CPU µs/join',
  deliveredPerSecond: 'delivered/s',
  clientCpuPercent: 'client processes CPU % of a core',
} as const;

export type Metric = keyof typeof METRICS;

/** Every run's value of one metric, for one system, in one case of one scenario. */
export interface Measurement {
  scenario: string;
  /** e.g. "room of 1,000": the scenario's sizes, as the table shows them. */
  case: string;
  system: SystemName | `${SystemName} + redis` | PresenceCase | RestartLabel | WriteDelayCase;
  metric: Metric;
  values: number[];
  /** Set on a point of a growth curve (scenario `curves`); the report shows these as series. */
  curve?: CurvePoint;
}

/** Where on its curve a measurement sits, and which system its ratio is taken against. */
export interface CurvePoint {
  /** What varies along the curve, e.g. "room size". */
  axis: string;
  x: number;
  baseline: Measurement['system'];
}

/** Collects `values[i][metric]` of several runs into one measurement per metric. */
export function measurementsOf<M extends Metric>(
  base: Omit<Measurement, 'metric' | 'values'>,
  runs: readonly Record<M, number>[],
  metrics: readonly M[],
): Measurement[] {
  return metrics.map(metric => ({ ...base, metric, values: runs.map(run => run[metric]) }));
}
