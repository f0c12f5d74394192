import type { BenchConfig } from '../config';
import type { HarnessOptions } from '../harness';

/** What every scenario gets from the runner. */
export interface ScenarioContext {
  config: BenchConfig;
  harness: HarnessOptions;
  /** The bench's own redis-server, for the cluster scenarios. */
  redis: { host: string; port: number };
  log(line: string): void;
  /** Runs only these systems (by the name the table shows, without " + redis"); unset: all. */
  systems?: ReadonlySet<string> | undefined;
}

/** The systems of a scenario that this run includes. */
export function selectSystems<S extends string>(ctx: ScenarioContext, systems: readonly S[]): S[] {
  return systems.filter(system => !ctx.systems || ctx.systems.has(system));
}

export const ROOM = 'bench';

let apps = 0;
/** A fresh app name per cluster, so no run sees another run's channels or members. */
export function freshAppName(): string {
  return `bench-${process.pid}-${++apps}`;
}
