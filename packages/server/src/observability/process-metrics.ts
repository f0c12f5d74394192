import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { type MetricFamily, type MetricType, oncePerScrape, type Sample } from './exposition';

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

interface ProcessSnapshot {
  cpu: NodeJS.CpuUsage;
  rss: number;
  heap: ReturnType<typeof getHeapStatistics>;
  fds: number | undefined;
  eventLoopActiveMs: number;
}

/**
 * One reading of everything, shared by the families of a scrape. `v8.getHeapStatistics()` and
 * `memoryUsage.rss()`, not `memoryUsage()`: that one reads the RSS again for each call.
 */
function snapshot(): ProcessSnapshot {
  return {
    cpu: process.cpuUsage(),
    rss: process.memoryUsage.rss(),
    heap: getHeapStatistics(),
    fds: openFds(),
    eventLoopActiveMs: performance.eventLoopUtilization().active,
  };
}

/**
 * The process's own metrics under the names prom-client's `collectDefaultMetrics` uses, so
 * dashboards made for it work. Read at scrape time only; nothing here runs on a timer.
 * Event-loop utilisation is a counter of busy seconds: `rate(...)` of it is the share of time
 * the loop was busy, 0 to 1, correct for any scrape interval and any number of scrapers.
 */
export function processFamilies(): MetricFamily[] {
  const read = oncePerScrape(snapshot);
  const of = (name: string, type: MetricType, help: string, value: (s: ProcessSnapshot) => number) =>
    family(name, type, help, () => value(read()));
  const families = [
    of(
      'process_cpu_user_seconds_total',
      'counter',
      'User CPU time spent, in seconds.',
      s => s.cpu.user / 1e6,
    ),
    of(
      'process_cpu_system_seconds_total',
      'counter',
      'System CPU time spent, in seconds.',
      s => s.cpu.system / 1e6,
    ),
    of(
      'process_cpu_seconds_total',
      'counter',
      'User and system CPU time spent, in seconds.',
      s => (s.cpu.user + s.cpu.system) / 1e6,
    ),
    of(
      'process_start_time_seconds',
      'gauge',
      'Start time of the process since the Unix epoch, in seconds.',
      () => PROCESS_START_SECONDS,
    ),
    of('process_resident_memory_bytes', 'gauge', 'Resident memory size, in bytes.', s => s.rss),
    of('nodejs_heap_size_total_bytes', 'gauge', 'V8 heap size, in bytes.', s => s.heap.total_heap_size),
    of('nodejs_heap_size_used_bytes', 'gauge', 'V8 heap used, in bytes.', s => s.heap.used_heap_size),
    of(
      'nodejs_external_memory_bytes',
      'gauge',
      'Memory of C++ objects bound to JavaScript objects, in bytes.',
      s => s.heap.external_memory,
    ),
    of(
      'nodejs_eventloop_active_seconds_total',
      'counter',
      'Seconds the event loop spent busy; rate() of it is the event-loop utilisation (0 to 1).',
      s => s.eventLoopActiveMs / 1000,
    ),
  ];
  if (read().fds !== undefined)
    families.push(of('process_open_fds', 'gauge', 'Number of open file descriptors.', s => s.fds ?? 0));
  return families;
}
