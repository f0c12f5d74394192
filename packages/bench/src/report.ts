import { METRICS, type Measurement, type Metric } from './measurement';
import { medianRatio, spread } from './stats';
import { evaluateTargets } from './targets';

/** A number as the table shows it: thousands separated, small values to 3 significant digits. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  return value.toPrecision(3);
}

function cell(values: readonly number[]): string {
  const { median, min, max } = spread(values);
  return `${formatNumber(median)} [${formatNumber(min)}..${formatNumber(max)}]`;
}

/**
 * One table per scenario case: a row per system with median [min..max] of the runs, then a row
 * per baseline with the first system's median divided by the baseline's.
 */
export function renderTables(all: readonly Measurement[]): string {
  const measurements = all.filter(m => !m.curve);
  const out: string[] = [];
  const keys = [...new Set(measurements.map(m => `${m.scenario}\u0000${m.case}`))];
  for (const key of keys) {
    const [scenario, caseName] = key.split('\u0000') as [string, string];
    const rows = measurements.filter(m => m.scenario === scenario && m.case === caseName);
    const metrics = [...new Set(rows.map(m => m.metric))];
    const systems = [...new Set(rows.map(m => m.system))];
    const valuesOf = (system: string, metric: Metric) =>
      rows.find(m => m.system === system && m.metric === metric)?.values ?? [];
    out.push(`#### ${scenario}: ${caseName}`, '');
    out.push(`| system | ${metrics.map(m => METRICS[m]).join(' | ')} |`);
    out.push(`|---|${metrics.map(() => '---:').join('|')}|`);
    for (const system of systems)
      out.push(`| ${system} | ${metrics.map(m => cell(valuesOf(system, m))).join(' | ')} |`);
    const [first, ...baselines] = systems;
    for (const baseline of baselines) {
      const ratios = metrics.map(m => {
        const ratio = spread(valuesOf(first!, m)).median / spread(valuesOf(baseline, m)).median;
        // 0 / 0 (no message lost by either) is no ratio: a dash, not NaN.
        return Number.isFinite(ratio) ? `${ratio.toFixed(2)}×` : '–';
      });
      out.push(`| *${first} / ${baseline}* | ${ratios.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

/**
 * One table per growth curve (scenario and metric): a row per point (size → value) with a column
 * per system, then each system's ratio to the curve's baseline at the same point, or "not
 * measured" where either did not run there.
 */
export function renderCurves(measurements: readonly Measurement[]): string {
  const points = measurements.filter(m => m.curve);
  const out: string[] = [];
  for (const key of new Set(points.map(m => `${m.scenario}\u0000${m.metric}`))) {
    const rows = points.filter(m => `${m.scenario}\u0000${m.metric}` === key);
    const { axis, baseline } = rows[0]!.curve!;
    const systems = [...new Set(rows.map(m => m.system))];
    const compared = systems.filter(system => system !== baseline);
    const xs = [...new Set(rows.map(m => m.curve!.x))].sort((a, b) => a - b);
    const valuesAt = (system: string, x: number) =>
      rows.find(m => m.system === system && m.curve!.x === x)?.values ?? [];
    out.push(`#### ${rows[0]!.scenario}: ${METRICS[rows[0]!.metric]}`, '');
    const ratioHeads = compared.map(system => `*${system} / ${baseline}*`);
    out.push(`| ${axis} | ${[...systems, ...ratioHeads].join(' | ')} |`);
    out.push(`|---:|${[...systems, ...ratioHeads].map(() => '---:').join('|')}|`);
    for (const x of xs) {
      const cells = systems.map(system => {
        const values = valuesAt(system, x);
        return values.length > 0 ? cell(values) : 'not measured';
      });
      const ratios = compared.map(system => {
        const ratio = medianRatio(valuesAt(system, x), valuesAt(baseline, x));
        return ratio === undefined ? 'not measured' : `${ratio.toFixed(2)}×`;
      });
      out.push(`| ${x.toLocaleString('en-US')} | ${[...cells, ...ratios].join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function renderTargets(measurements: readonly Measurement[]): string {
  const out = ['| scenario | case | metric | ratio | target | met |', '|---|---|---|---:|---|---|'];
  for (const { target, case: caseName, ratio, met } of evaluateTargets(measurements)) {
    // A target without a baseline is a value in the metric's unit, not a ratio.
    const times = target.baseline ? '×' : '';
    const what = `${target.baseline ? `${target.system} / ${target.baseline}` : target.system}, ${METRICS[target.metric]}`;
    const bound = `${target.bound === 'at most' ? '≤' : '≥'} ${target.limit}${times}`;
    out.push(
      `| ${target.scenario} | ${caseName} | ${what} | ${ratio.toFixed(2)}${times} | ${bound} | ${met ? 'yes' : '**no**'} |`,
    );
  }
  return out.join('\n');
}
