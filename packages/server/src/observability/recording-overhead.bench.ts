/**
 * What recording a metric costs on the hot path, Roomcast's histogram against prom-client's.
 * Run by hand (never in CI, never as a timed test):
 *   cd packages/server && pnpm exec vitest bench --run src/observability/recording-overhead.bench.ts
 * Each case records OPS times per iteration, so tinybench's own per-call cost is spread thin;
 * divide the mean by OPS for nanoseconds per recording. The server README has the numbers.
 */
import { Counter, Histogram as PromHistogram, Registry } from 'prom-client';
import { bench, describe } from 'vitest';
import { Metrics } from '../metrics';
import { HANDLER_DURATION_BUCKETS } from './histogram';

const OPS = 1000;
const route = { type: 'chat', action: 'send' };
const routeName = (r: typeof route) => `${r.type}.${r.action}`;
// Latencies spread over the buckets, as real ones are: not always the first bound.
const values = Array.from({ length: OPS }, (_, i) => 0.0002 * 1.01 ** i);

const metrics = new Metrics();
const registry = new Registry();
const promHistogram = new PromHistogram({
  name: 'h_seconds',
  help: 'h',
  labelNames: ['node', 'route'],
  buckets: [...HANDLER_DURATION_BUCKETS],
  registers: [registry],
});
const promChild = promHistogram.labels({ node: 'n1', route: 'chat.send' });
const promCounter = new Counter({ name: 'c_total', help: 'c', labelNames: ['node'], registers: [registry] });
const promCounterChild = promCounter.labels({ node: 'n1' });

describe(`record a handler latency (${OPS} per iteration)`, () => {
  bench('roomcast: series lookup by route + observe (what the pipeline does)', () => {
    for (let i = 0; i < OPS; i++)
      metrics.handlerDuration.series(route, routeName).observe(values[i] as number);
  });
  bench('roomcast: the same with both performance.now() calls', () => {
    for (let i = 0; i < OPS; i++) {
      const started = performance.now();
      metrics.handlerDuration.series(route, routeName).observe((performance.now() - started) / 1000);
    }
  });
  bench('performance.now() twice, nothing recorded (the clock alone)', () => {
    let total = 0;
    for (let i = 0; i < OPS; i++) total += performance.now() - performance.now();
    if (total > 1) throw new Error('unreachable');
  });
  bench('prom-client: histogram.observe({ node, route }, v)', () => {
    for (let i = 0; i < OPS; i++)
      promHistogram.observe({ node: 'n1', route: 'chat.send' }, values[i] as number);
  });
  bench('prom-client: histogram.labels(node, route).observe(v)', () => {
    for (let i = 0; i < OPS; i++) promHistogram.labels('n1', 'chat.send').observe(values[i] as number);
  });
  bench('prom-client: a child bound once, child.observe(v)', () => {
    for (let i = 0; i < OPS; i++) promChild.observe(values[i] as number);
  });
});

describe(`count a message (${OPS} per iteration)`, () => {
  bench('roomcast: metrics.messagesIn++', () => {
    for (let i = 0; i < OPS; i++) metrics.messagesIn++;
  });
  bench('prom-client: counter.inc({ node })', () => {
    for (let i = 0; i < OPS; i++) promCounter.inc({ node: 'n1' });
  });
  bench('prom-client: a child bound once, child.inc()', () => {
    for (let i = 0; i < OPS; i++) promCounterChild.inc();
  });
});
