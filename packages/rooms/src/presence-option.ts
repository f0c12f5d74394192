/**
 * How a room tells its members who is in it (SPEC section 4):
 * - `true`: one `presence.join` / `presence.leave` frame per member change, to every member;
 * - `{ batchMs }`: at most one `presence.diff` frame per interval per node, listing the joins and
 *   leaves of that interval (`{ batchMs, count: true }`: a `presence.count` frame instead);
 * - `'count'`: at most one `presence.count` frame per second per node, never a member list.
 */
export type PresenceOption = boolean | 'count' | { batchMs: number; count?: boolean };

/** `events`: a frame per change; `diff` and `count`: batched every `batchMs`. */
export type PresenceMode = 'off' | 'events' | 'diff' | 'count';

export interface PresenceSettings {
  mode: PresenceMode;
  /** The interval of `diff` and `count` rooms; 0 for the others. */
  batchMs: number;
}

/** The interval of `presence: 'count'`. */
export const DEFAULT_COUNT_BATCH_MS = 1_000;
const MAX_BATCH_MS = 60_000;

export function resolvePresence(option: PresenceOption | undefined, where: string): PresenceSettings {
  if (option === undefined || option === false) return { mode: 'off', batchMs: 0 };
  if (option === true) return { mode: 'events', batchMs: 0 };
  if (option === 'count') return { mode: 'count', batchMs: DEFAULT_COUNT_BATCH_MS };
  const batchMs = typeof option === 'object' && option !== null ? option.batchMs : undefined;
  if (!(Number.isInteger(batchMs) && (batchMs as number) > 0 && (batchMs as number) <= MAX_BATCH_MS)) {
    throw new TypeError(
      `${where}.presence must be true, 'count' or { batchMs } with batchMs a whole number of ms from 1 to ${MAX_BATCH_MS}`,
    );
  }
  return {
    mode: (option as { count?: boolean }).count === true ? 'count' : 'diff',
    batchMs: batchMs as number,
  };
}
