import { describe, expect, it } from 'vitest';
import type { Measurement } from './measurement';
import { renderCurves, renderTables } from './report';

function point(system: Measurement['system'], x: number, values: number[]): Measurement {
  return {
    scenario: 'curve: fan-out by room size, one node',
    case: `room of ${x}`,
    system,
    metric: 'cpuMicrosPerDelivery',
    values,
    curve: { axis: 'room size', x, baseline: 'ws-preframed' },
  };
}

describe('renderCurves', () => {
  const curve = [
    point('roomcast', 1_000, [6, 5, 7]),
    point('ws-preframed', 1_000, [5, 5, 5]),
    point('roomcast', 100, [8, 8, 8]),
    point('ws-preframed', 100, [4, 4, 4]),
    point('roomcast', 5_000, [9, 9, 9]),
  ];

  it('prints one row per point in ascending order, with the ratio to the baseline at that point', () => {
    const rows = renderCurves(curve).split('\n');
    expect(rows[2]).toBe('| room size | roomcast | ws-preframed | *roomcast / ws-preframed* |');
    expect(rows.filter(row => /^\| [\d,]+ \|/.test(row))).toEqual([
      '| 100 | 8.00 [8.00..8.00] | 4.00 [4.00..4.00] | 2.00× |',
      '| 1,000 | 6.00 [5.00..7.00] | 5.00 [5.00..5.00] | 1.20× |',
      '| 5,000 | 9.00 [9.00..9.00] | not measured | not measured |',
    ]);
  });

  it('leaves curve points out of the per-case tables', () => {
    expect(renderTables(curve)).toBe('');
  });
});

describe('renderTables', () => {
  it('prints a dash, not NaN, for a ratio of two zeros', () => {
    const lost = (system: Measurement['system'], values: number[]): Measurement => ({
      scenario: '8. restart storm',
      case: '300 clients',
      system,
      metric: 'messagesLost',
      values,
    });
    const rows = renderTables([lost('SIGKILL', [0]), lost('stop(), drainMs: 0 (all at once)', [0])]).split(
      '\n',
    );
    expect(rows).toContain('| *SIGKILL / stop(), drainMs: 0 (all at once)* | – |');
  });
});
