import type { Sample } from './exposition';

/** Handler latency, seconds: a synchronous handler answers well under a millisecond. */
export const HANDLER_DURATION_BUCKETS: readonly number[] = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Fan-out, seconds: one socket takes microseconds, ten thousand take milliseconds. */
export const FANOUT_DURATION_BUCKETS: readonly number[] = [
  0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1,
];

/**
 * One label set's buckets. `observe` is on the hot path: a short scan over fixed bounds and three
 * additions, no allocation. Counts are kept per bucket and summed into cumulative ones at scrape.
 */
export class HistogramSeries {
  readonly #bounds: readonly number[];
  /** One slot per bound, and a last one for what is above them all (`+Inf`). */
  readonly #counts: Float64Array;
  #sum = 0;
  #count = 0;

  constructor(bounds: readonly number[]) {
    this.#bounds = bounds;
    this.#counts = new Float64Array(bounds.length + 1);
  }

  observe(seconds: number): void {
    const bounds = this.#bounds;
    let i = 0;
    while (i < bounds.length && seconds > (bounds[i] as number)) i++;
    this.#counts[i] = (this.#counts[i] as number) + 1;
    this.#sum += seconds;
    this.#count++;
  }

  /** `_bucket` (cumulative, ending in `+Inf`), `_sum` and `_count`, with `labels` on each. */
  samples(name: string, labels: Record<string, string>): Sample[] {
    const out: Sample[] = [];
    let cumulative = 0;
    this.#bounds.forEach((bound, i) => {
      cumulative += this.#counts[i] as number;
      out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: bound }, value: cumulative });
    });
    out.push({ metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: this.#count });
    out.push({ metricName: `${name}_sum`, labels, value: this.#sum });
    out.push({ metricName: `${name}_count`, labels, value: this.#count });
    return out;
  }
}

/**
 * A histogram with one label besides the node's. Its values must come from a bounded set the
 * server declares (route names, target kinds), never from client input.
 */
export class Histogram<K = string> {
  readonly #bounds: readonly number[];
  readonly #label: string;
  readonly #series = new Map<K, { value: string; series: HistogramSeries }>();

  constructor(label: string, bounds: readonly number[]) {
    this.#label = label;
    this.#bounds = bounds;
  }

  /** The series for `key`, made (and labelled `labelOf(key)`) at its first use. */
  series(key: K, labelOf: (key: K) => string): HistogramSeries {
    let entry = this.#series.get(key);
    if (!entry) {
      entry = { value: labelOf(key), series: new HistogramSeries(this.#bounds) };
      this.#series.set(key, entry);
    }
    return entry.series;
  }

  samples(name: string, labels: Record<string, string>): Sample[] {
    const out: Sample[] = [];
    for (const { value, series } of this.#series.values())
      out.push(...series.samples(name, { ...labels, [this.#label]: value }));
    return out;
  }
}
