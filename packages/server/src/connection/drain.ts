import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The default drain window: 1 ms per client, at most this long. A node with a few clients (a dev
 * server with a tab or two, a test) stops at once, since spreading them buys nothing; a node
 * with thousands spreads them over a second, so the other nodes take about 1,000 reconnects a
 * second from it instead of all of them in one instant. A bigger node should set `drainMs`.
 */
export const DEFAULT_MAX_DRAIN_MS = 1_000;
const DEFAULT_DRAIN_MS_PER_CLIENT = 1;

/**
 * How often the drain wakes to close the clients whose moment has come: one timer for the whole
 * node, never one per client, and batches large enough that 5,000 closes cost ~100 wake-ups.
 */
export const DRAIN_TICK_MS = 10;

/** The window `stop()` spreads its closes over: `drainMs` when set, else the default above. */
export function drainWindowMs(drainMs: number | undefined, clients: number): number {
  return drainMs ?? Math.min(DEFAULT_MAX_DRAIN_MS, clients * DEFAULT_DRAIN_MS_PER_CLIENT);
}

export interface SpreadOptions<T> {
  windowMs: number;
  close: (item: T) => void;
  /** In [0, 1); injected by tests. */
  random?: () => number;
}

/**
 * Calls `close` for every item at its own random moment in [0, windowMs), in batches of every
 * item whose moment has come by each tick; resolves after the last one. A window of 0 closes
 * every item now, in this turn. A late timer (a busy loop) closes everything it is late for at
 * once, so the window ends on time however slow the ticks are.
 */
export async function spreadOverWindow<T>(
  items: readonly T[],
  { windowMs, close, random = Math.random }: SpreadOptions<T>,
): Promise<void> {
  if (windowMs <= 0) {
    for (const item of items) close(item);
    return;
  }
  const moments = items.map(item => ({ item, at: random() * windowMs })).sort((a, b) => a.at - b.at);
  const started = performance.now();
  let next = 0;
  while (next < moments.length) {
    const elapsed = performance.now() - started;
    for (let due = moments[next]; due && due.at <= elapsed; due = moments[++next]) close(due.item);
    const upcoming = moments[next];
    if (upcoming) await sleep(Math.max(DRAIN_TICK_MS, upcoming.at - elapsed));
  }
}
