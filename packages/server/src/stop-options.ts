import { checkOptions, numberOption, objectOption } from '@roomcast/protocol';
import { drainMsOption } from './options-schema';

/** What `server.stop(options)` takes. */
export interface StopOptions {
  /**
   * How long, after the last close was sent, the clients get to finish their close handshake
   * before they are terminated; and as long again for each disconnect's clean-up.
   */
  timeoutMs?: number;
  /** This stop's drain window; default: the server's `drainMs` option (see its README). */
  drainMs?: number;
}

export interface ResolvedStopOptions {
  timeoutMs: number;
  /** Unset: the default window (see `drainWindowMs`). */
  drainMs: number | undefined;
}

export const DEFAULT_STOP_TIMEOUT_MS = 5_000;

const STOP_OPTIONS_SCHEMA = objectOption<StopOptions>({
  timeoutMs: numberOption('a number of milliseconds >= 0', value => value >= 0 && Number.isFinite(value)),
  drainMs: drainMsOption,
});

/** Checks `stop()`'s options (an INVALID_OPTIONS TypeError, as at construction) and fills defaults. */
export function resolveStopOptions(
  options: StopOptions,
  serverDrainMs: number | undefined,
): ResolvedStopOptions {
  checkOptions('stop()', options, STOP_OPTIONS_SCHEMA);
  return {
    timeoutMs: options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
    drainMs: options.drainMs ?? serverDrainMs,
  };
}
