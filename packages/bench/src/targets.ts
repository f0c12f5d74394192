import type { Measurement, Metric } from './measurement';
import { TARGET_DELAY_MS, WRITE_DELAY_SCENARIO } from './scenarios/write-delay-cases';
import { medianRatio } from './stats';

/**
 * One row of the targets: `system / baseline` of the medians, compared to `limit`; without
 * a baseline, the system's median itself (in the metric's unit: a latency in ms).
 */
export interface Target {
  scenario: string;
  metric: Metric;
  system: Measurement['system'];
  baseline?: Measurement['system'];
  /** 'at most': lower is better (CPU, memory, latency); 'at least': higher is better (rates). */
  bound: 'at most' | 'at least';
  limit: number;
}

const ONE_NODE = '1. fan-out, one node';
const CLUSTER = '2. fan-out, 2 nodes + Redis';
const LATENCY = '3. latency across 2 nodes';
const MEMORY = '4. memory per idle connection';
const RATE = '5. connection rate';
const PRESENCE = '7. presence storm';
const SCALE = 'scale: one node, many connections';

export const TARGETS: readonly Target[] = [
  {
    scenario: ONE_NODE,
    metric: 'cpuMicrosPerDelivery',
    system: 'roomcast',
    baseline: 'ws-preframed',
    bound: 'at most',
    limit: 1.15,
  },
  {
    scenario: ONE_NODE,
    metric: 'cpuMicrosPerDelivery',
    system: 'roomcast',
    baseline: 'socket.io',
    bound: 'at most',
    limit: 0.6,
  },
  {
    scenario: CLUSTER,
    metric: 'cpuMicrosPerDelivery',
    system: 'roomcast + redis',
    baseline: 'socket.io + redis',
    bound: 'at most',
    limit: 0.6,
  },
  {
    scenario: CLUSTER,
    metric: 'deliveriesPerSecond',
    system: 'roomcast + redis',
    baseline: 'socket.io + redis',
    bound: 'at least',
    limit: 1.3,
  },
  {
    scenario: LATENCY,
    metric: 'p99',
    system: 'roomcast + redis',
    baseline: 'socket.io + redis',
    bound: 'at most',
    limit: 1.0,
  },
  {
    scenario: MEMORY,
    metric: 'rssPerConnection',
    system: 'roomcast',
    baseline: 'ws',
    bound: 'at most',
    limit: 1.3,
  },
  {
    scenario: MEMORY,
    metric: 'rssPerConnection',
    system: 'roomcast',
    baseline: 'socket.io',
    bound: 'at most',
    limit: 0.6,
  },
  {
    scenario: RATE,
    metric: 'connectionsPerSecond',
    system: 'roomcast',
    baseline: 'ws',
    bound: 'at least',
    limit: 0.8,
  },
  {
    scenario: RATE,
    metric: 'connectionsPerSecond',
    system: 'roomcast',
    baseline: 'socket.io',
    bound: 'at least',
    limit: 1.3,
  },
  // Issue 22: a storm of joins into a presence room costs at most 3x the storm without presence.
  {
    scenario: PRESENCE,
    metric: 'serverCpuMsPerStorm',
    system: 'roomcast, presence: { batchMs: 200 }',
    baseline: 'roomcast, no presence',
    bound: 'at most',
    limit: 3,
  },
  {
    scenario: PRESENCE,
    metric: 'serverCpuMsPerStorm',
    system: "roomcast, presence: 'count'",
    baseline: 'roomcast, no presence',
    bound: 'at most',
    limit: 3,
  },
  // Issue 22: 15,000 connections on one node (2,000 with --quick), a broadcast to all of them.
  {
    scenario: SCALE,
    metric: 'rssPerConnection',
    system: 'roomcast',
    baseline: 'ws',
    bound: 'at most',
    limit: 1.1,
  },
  {
    scenario: SCALE,
    metric: 'cpuMicrosPerDelivery',
    system: 'roomcast',
    baseline: 'ws-preframed',
    bound: 'at most',
    limit: 1.15,
  },
  // Issue 22: broadcasts one per turn, one per ms, to a room of 1,000, with writeDelayMs: 10.
  {
    scenario: WRITE_DELAY_SCENARIO,
    metric: 'cpuMicrosPerDelivery',
    system: `roomcast, writeDelayMs: ${TARGET_DELAY_MS}`,
    baseline: 'ws-preframed',
    bound: 'at most',
    limit: 0.35,
  },
  {
    scenario: WRITE_DELAY_SCENARIO,
    metric: 'p99',
    system: `roomcast, writeDelayMs: ${TARGET_DELAY_MS}`,
    bound: 'at most',
    limit: TARGET_DELAY_MS + 5,
  },
];

export interface TargetResult {
  target: Target;
  case: string;
  /** The ratio to the baseline, or the value itself for a target without one. */
  ratio: number;
  met: boolean;
}

/**
 * Every target in every case where the run measured both the system and its baseline (a scenario
 * left out, or a case one of them does not run at, yields no row).
 */
export function evaluateTargets(measurements: readonly Measurement[]): TargetResult[] {
  const results: TargetResult[] = [];
  for (const target of TARGETS) {
    const cases = new Set(measurements.filter(m => m.scenario === target.scenario).map(m => m.case));
    for (const caseName of cases) {
      const values = (system: Measurement['system']) =>
        measurements.find(
          m =>
            m.scenario === target.scenario &&
            m.case === caseName &&
            m.system === system &&
            m.metric === target.metric,
        )?.values ?? [];
      const ratio = medianRatio(values(target.system), target.baseline ? values(target.baseline) : [1]);
      if (ratio === undefined) continue;
      const met = target.bound === 'at most' ? ratio <= target.limit : ratio >= target.limit;
      results.push({ target, case: caseName, ratio, met });
    }
  }
  return results;
}
