/**
 * `pnpm bench`: every scenario, every system, in this one run on this one machine, then the
 * tables and the targets. Full sizes rewrite the results section of BENCHMARKS.md.
 *
 *   node dist/run.js [--quick] [--only=1,codecs,2,3,durable,4,bursts,emitter,presence,restart,write-delay,scale,curves] [--systems=roomcast,ws-preframed]
 *                    [--cpu-prof=DIR] [--roomcast-server=PATH/dist/index.js]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { startRedis } from '@roomcast/test-support/redis-process';
import { nowMs } from './clock';
import { FULL, QUICK } from './config';
import type { Measurement } from './measurement';
import { renderCurves, renderTables, renderTargets } from './report';
import { connections } from './scenarios/connections';
import type { ScenarioContext } from './scenarios/context';
import { curves } from './scenarios/curves';
import { durableLatency } from './scenarios/durable-latency';
import { emitterPublishing } from './scenarios/emitter';
import { fanOutBursts, fanOutCluster, fanOutCodecs, fanOutOneNode } from './scenarios/fan-out';
import { latencyAcrossNodes } from './scenarios/latency';
import { presenceStorm } from './scenarios/presence-storm';
import { restartStorm } from './scenarios/restart-storm';
import { scale } from './scenarios/scale';
import { writeDelay } from './scenarios/write-delay';

const SCENARIOS = {
  '1': fanOutOneNode,
  codecs: fanOutCodecs,
  '2': fanOutCluster,
  '3': latencyAcrossNodes,
  durable: durableLatency,
  // Scenarios 4 (memory) and 5 (connection rate) share their servers.
  '4': connections,
  bursts: fanOutBursts,
  emitter: emitterPublishing,
  presence: presenceStorm,
  restart: restartStorm,
  'write-delay': writeDelay,
  scale,
  curves,
} satisfies Record<string, (ctx: ScenarioContext) => Promise<Measurement[]>>;
type ScenarioId = keyof typeof SCENARIOS;

const BENCHMARKS_MD = new URL('../../../BENCHMARKS.md', import.meta.url);
const BEGIN = '<!-- bench:results:begin -->';
const END = '<!-- bench:results:end -->';

const { values: args } = parseArgs({
  // `pnpm bench -- --quick` hands the script a literal `--`.
  args: process.argv.slice(2).filter(arg => arg !== '--'),
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'cpu-prof': { type: 'string' },
    'roomcast-server': { type: 'string' },
    systems: { type: 'string' },
  },
});

const selected = (args.only?.split(',') ?? Object.keys(SCENARIOS)) as ScenarioId[];
for (const id of selected) if (!(id in SCENARIOS)) throw new TypeError(`--only: unknown scenario "${id}"`);
const config = args.quick ? QUICK : FULL;
const started = nowMs();
const log = (line: string) => console.error(`[bench ${((nowMs() - started) / 1000).toFixed(0)}s] ${line}`);

// Interrupted: exit normally, so the exit handlers kill the redis-server and the children by pid.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const redis = await startRedis();
const measurements: Measurement[] = [];
try {
  const ctx: ScenarioContext = {
    config,
    harness: { cpuProfDir: args['cpu-prof'], roomcastServerModule: args['roomcast-server'] },
    redis: { host: redis.host, port: redis.port },
    log,
    systems: args.systems ? new Set(args.systems.split(',')) : undefined,
  };
  for (const id of selected) measurements.push(...(await SCENARIOS[id](ctx)));
} finally {
  await redis.stop();
}

const seconds = (nowMs() - started) / 1000;
const report = [
  `Run of ${new Date().toISOString().slice(0, 10)}: ${describeMachine()}; ${seconds.toFixed(0)} s` +
    `${args.quick ? ' (--quick sizes)' : ''}${args['roomcast-server'] ? `, Roomcast from ${args['roomcast-server']}` : ''}.`,
  '',
  '### Targets',
  '',
  renderTargets(measurements),
  '',
  ...(measurements.some(m => !m.curve)
    ? ['### Every measurement: median [min..max] of the runs', '', renderTables(measurements)]
    : []),
  ...(measurements.some(m => m.curve)
    ? ['### Growth curves: median [min..max] of the runs at each point', '', renderCurves(measurements)]
    : []),
].join('\n');
console.log(report);

const complete = !args.quick && !args.only && !args.systems && !args['roomcast-server'];
if (complete) writeResults(report);

function describeMachine(): string {
  const cores = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(0);
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${gib} GiB, Node ${process.version}`;
}

/** Replaces the results section of BENCHMARKS.md, leaving the prose around it alone. */
function writeResults(section: string): void {
  let text: string;
  try {
    text = readFileSync(BENCHMARKS_MD, 'utf8');
  } catch {
    return;
  }
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) return;
  writeFileSync(BENCHMARKS_MD, `${text.slice(0, begin + BEGIN.length)}\n${section}\n${text.slice(end)}`);
  log('results written to BENCHMARKS.md');
}
