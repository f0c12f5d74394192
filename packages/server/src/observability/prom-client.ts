import type { MetricFamily, MetricType, Sample } from './exposition';

/**
 * What Roomcast uses of a prom-client (v15) `Registry`, typed here so `@roomcast/server` needs
 * no prom-client: an app that has one passes it, and its `metrics()` output then holds ours.
 */
export interface PromClientRegistry {
  /**
   * prom-client types its parameter as its own metric classes; at run time it reads `name`,
   * `get()` and `reset()` only, which a `PromClientMetric` has (`never`: any registry fits).
   */
  registerMetric(metric: never): void;
  removeSingleMetric(name: string): void;
}

type Registers = { registerMetric(metric: PromClientMetric): void };

/** The shape prom-client's registry reads from a metric (what its own `Counter.get()` returns). */
export interface PromClientMetric {
  name: string;
  help: string;
  type: MetricType;
  aggregator: 'sum' | 'max';
  get(): Promise<{
    name: string;
    help: string;
    type: MetricType;
    values: PromClientValue[];
    aggregator: 'sum' | 'max';
  }>;
  /** `registry.resetMetrics()` calls it: Roomcast's counters are the server's and are not reset. */
  reset(): void;
}

type PromClientValue = Omit<Sample, 'metricName'> & { metricName?: string };

/**
 * A counter's or gauge's values leave their name to the registry: for OpenMetrics prom-client
 * names a counter's sample `<name>_total` itself. A histogram's name its three series.
 */
function valuesOf(family: MetricFamily): PromClientValue[] {
  const samples = family.collect();
  if (family.type === 'histogram') return samples;
  return samples.map(({ labels, value }) => ({ labels, value }));
}

function asPromClientMetric(family: MetricFamily): PromClientMetric {
  // Summed across cluster workers (prom-client's AggregatorRegistry), except a start time.
  const aggregator = family.name.endsWith('start_time_seconds') ? 'max' : 'sum';
  const metric: PromClientMetric = {
    // prom-client renames a counter for OpenMetrics (drops `_total`), so it is read as it is now.
    name: family.name,
    help: family.help,
    type: family.type,
    aggregator,
    get: async () => ({
      name: metric.name,
      help: family.help,
      type: family.type,
      values: valuesOf(family),
      aggregator,
    }),
    reset() {},
  };
  return metric;
}

/**
 * Registers each family in `registry`; returns the call that removes them again. A name the
 * registry already has (prom-client throws) undoes the ones registered before it and rethrows.
 */
export function registerFamilies(
  registry: PromClientRegistry,
  families: readonly MetricFamily[],
): () => void {
  const registered: string[] = [];
  const unregister = () => {
    for (const name of registered.splice(0)) registry.removeSingleMetric(name);
  };
  try {
    for (const family of families) {
      (registry as unknown as Registers).registerMetric(asPromClientMetric(family));
      registered.push(family.name);
    }
  } catch (error) {
    unregister();
    throw error;
  }
  return unregister;
}
