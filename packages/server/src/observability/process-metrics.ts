import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { MetricFamily, MetricType, Sample } from './exposition';

/** Wall-clock start of this process, fixed once: `process.uptime()` counts from it. */
const PROCESS_START_SECONDS = Date.now() / 1000 - process.uptime();

function family(name: string, type: MetricType, help: string, value: () => number): MetricFamily {
  return { name, type, help, collect: (): Sample[] => [{ metricName: name, labels: {}, value: value() }] };
}

/** Open file descriptors, from `/proc/self/fd` (Linux); undefined where there is no such directory. */
function openFds(): number | undefined {
  try {
    // The listing holds the descriptor readdir itself opened.
    return readdirSync('/proc/self/fd').length - 1;
  } catch {
    return undefined;
  }
}

/**
 * The process's own metrics under the names prom-client's `collectDefaultMetrics` uses, so
 * dashboards made for it work. Read at scrape time only; nothing here runs on a timer.
 * Event-loop utilisation is a counter of busy seconds: `rate(...)` of it is the share of time
 * the loop was busy, 0 to 1, correct for any scrape interval and any number of scrapers.
 */
export function processFamilies(): MetricFamily[] {
  const cpu = () => process.cpuUsage();
  const families = [
    family(
      'process_cpu_user_seconds_total',
      'counter',
      'User CPU time spent, in seconds.',
      () => cpu().user / 1e6,
    ),
    family(
      'process_cpu_system_seconds_total',
      'counter',
      'System CPU time spent, in seconds.',
      () => cpu().system / 1e6,
    ),
    family('process_cpu_seconds_total', 'counter', 'User and system CPU time spent, in seconds.', () => {
      const { user, system } = cpu();
      return (user + system) / 1e6;
    }),
    family(
      'process_start_time_seconds',
      'gauge',
      'Start time of the process since the Unix epoch, in seconds.',
      () => PROCESS_START_SECONDS,
    ),
    family('process_resident_memory_bytes', 'gauge', 'Resident memory size, in bytes.', () =>
      process.memoryUsage.rss(),
    ),
    family(
      'nodejs_heap_size_total_bytes',
      'gauge',
      'V8 heap size, in bytes.',
      () => process.memoryUsage().heapTotal,
    ),
    family(
      'nodejs_heap_size_used_bytes',
      'gauge',
      'V8 heap used, in bytes.',
      () => process.memoryUsage().heapUsed,
    ),
    family(
      'nodejs_external_memory_bytes',
      'gauge',
      'Memory of C++ objects bound to JavaScript objects, in bytes.',
      () => process.memoryUsage().external,
    ),
    family(
      'nodejs_eventloop_active_seconds_total',
      'counter',
      'Seconds the event loop spent busy; rate() of it is the event-loop utilisation (0 to 1).',
      () => performance.eventLoopUtilization().active / 1000,
    ),
  ];
  if (openFds() !== undefined)
    families.push(
      family('process_open_fds', 'gauge', 'Number of open file descriptors.', () => openFds() ?? 0),
    );
  return families;
}
