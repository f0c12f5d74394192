import { describe, expect, it } from 'vitest';
import type { Measurement } from './measurement';
import { renderTargets } from './report';
import { evaluateTargets } from './targets';

const STORM = '7. presence storm';
const BIG = '5,000 joins into one room';
const PER_EVENT_SIZE = '1,500 joins into one room';

function storm(caseName: string, system: Measurement['system'], values: number[]): Measurement {
  return { scenario: STORM, case: caseName, system, metric: 'serverCpuMsPerStorm', values };
}

// A presence-storm run as `pnpm bench` measures it: batched, count and no presence at 5,000
// joins, per-event presence alone at 1,500.
const PRESENCE_RUN: Measurement[] = [
  storm(BIG, 'roomcast, presence: { batchMs: 200 }', [2_800, 2_700, 3_100]),
  storm(BIG, "roomcast, presence: 'count'", [2_200, 2_300, 2_400]),
  storm(BIG, 'roomcast, no presence', [2_300, 2_290, 2_340]),
  storm(PER_EVENT_SIZE, 'roomcast, presence: true', [12_200, 12_100, 12_900]),
];

describe('evaluateTargets', () => {
  it('has no presence-storm row at the per-event size, where the batched rows did not run (was NaN×)', () => {
    const results = evaluateTargets(PRESENCE_RUN);
    expect(results.map(r => [r.target.system, r.case])).toEqual([
      ['roomcast, presence: { batchMs: 200 }', BIG],
      ["roomcast, presence: 'count'", BIG],
    ]);
    for (const { ratio } of results) expect(Number.isFinite(ratio)).toBe(true);
    expect(renderTargets(PRESENCE_RUN)).not.toContain('NaN');
  });

  it('divides the medians of the system and its baseline at the same size', () => {
    const [batched, count] = evaluateTargets(PRESENCE_RUN);
    expect(batched?.ratio).toBeCloseTo(2_800 / 2_300);
    expect(batched?.met).toBe(true);
    expect(count?.ratio).toBeCloseTo(2_300 / 2_300);
  });

  it('has no row when the baseline was left out of the run', () => {
    const withoutBaseline = PRESENCE_RUN.filter(m => m.system !== 'roomcast, no presence');
    expect(evaluateTargets(withoutBaseline)).toEqual([]);
  });

  it('evaluates a target without a baseline on the system alone', () => {
    const scenario = 'write delay: one broadcast per ms';
    const caseName = 'room of 1,000';
    const results = evaluateTargets([
      { scenario, case: caseName, system: 'roomcast, writeDelayMs: 10', metric: 'p99', values: [12, 14, 20] },
    ]);
    expect(results).toEqual([expect.objectContaining({ case: caseName, ratio: 14, met: true })]);
  });
});
