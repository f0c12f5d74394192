/** Median and range of repeated runs: the shape every number in the table has. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN };
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * `median(values) / median(baseline)`, or undefined when either was not measured: a ratio is only
 * shown where both sides ran at the same size.
 */
export function medianRatio(values: readonly number[], baseline: readonly number[]): number | undefined {
  if (values.length === 0 || baseline.length === 0) return undefined;
  return spread(values).median / spread(baseline).median;
}
