/**
 * The Prometheus text exposition format 0.0.4: one HELP and one TYPE line per family, then its
 * samples. A family's samples carry the same shape prom-client's `metric.get()` returns, so the
 * prom-client adapter hands them over unchanged (prom-client escapes them itself).
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface Sample {
  /** The family's name, or a histogram's `_bucket`, `_sum` and `_count` series names. */
  metricName: string;
  labels: Record<string, string | number>;
  value: number;
}

/** One metric family; `collect` is called at each scrape, never on the hot path. */
export interface MetricFamily {
  name: string;
  help: string;
  type: MetricType;
  collect(): Sample[];
}

/** In a label value: `\`, `"` and a newline are escaped (a raw quote or newline ends the line). */
export function escapeLabelValue(value: string): string {
  return value.replace(/[\\"\n]/g, escapeChar);
}

/** In HELP text only `\` and a newline are escaped (a quote is literal there). */
export function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, escapeChar);
}

function escapeChar(char: string): string {
  return char === '\n' ? '\\n' : `\\${char}`;
}

/** Go's ParseFloat spellings of the values JavaScript prints differently. */
export function formatValue(value: number): string {
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return Number.isNaN(value) ? 'NaN' : String(value);
}

function formatSample({ metricName, labels, value }: Sample): string {
  const pairs = Object.entries(labels).map(([name, label]) => `${name}="${escapeLabelValue(String(label))}"`);
  return `${metricName}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`;
}

/** The text for a `/metrics` response (`text/plain; version=0.0.4`). */
export function toExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    for (const sample of family.collect()) lines.push(formatSample(sample));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * `read`, called once per scrape however many families ask: a scrape collects every family in
 * one synchronous pass (ours, and prom-client's `registry.metrics()`), so the value is kept
 * until the next microtask.
 */
export function oncePerScrape<T>(read: () => T): () => T {
  let value: { current: T } | undefined;
  return () => {
    if (!value) {
      value = { current: read() };
      queueMicrotask(() => {
        value = undefined;
      });
    }
    return value.current;
  };
}
