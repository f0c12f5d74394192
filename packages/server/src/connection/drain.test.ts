import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_DRAIN_MS, drainWindowMs, spreadOverWindow } from './drain';

/** The next macrotask: whatever the current batch closed is done by then, the next tick is not. */
const nextTask = () => new Promise(resolve => setImmediate(resolve));

describe('drain window', () => {
  it('is drainMs when set, else 1 ms per client up to DEFAULT_MAX_DRAIN_MS', () => {
    expect(drainWindowMs(0, 5_000)).toBe(0);
    expect(drainWindowMs(7_500, 3)).toBe(7_500);
    expect(drainWindowMs(undefined, 3)).toBe(3);
    expect(drainWindowMs(undefined, 0)).toBe(0);
    expect(drainWindowMs(undefined, 50_000)).toBe(DEFAULT_MAX_DRAIN_MS);
  });

  it('a window of 0 closes every item in the same turn', () => {
    const closed: number[] = [];
    void spreadOverWindow([1, 2, 3], { windowMs: 0, close: item => closed.push(item) });
    expect(closed).toEqual([1, 2, 3]);
  });

  it('closes each item once, in the order of its random moment, in more than one batch', async () => {
    // Half the items draw the window's first moment, half its last: two batches, far apart.
    const draws = [0.999, 0, 0.998, 0, 0.997, 0, 0.996, 0];
    const random = () => draws.shift() ?? 0;
    const closed: string[] = [];
    const items = ['late1', 'now1', 'late2', 'now2', 'late3', 'now3', 'late4', 'now4'];
    const done = spreadOverWindow(items, { windowMs: 1_500, random, close: item => closed.push(item) });
    await nextTask();
    expect(closed).toEqual(['now1', 'now2', 'now3', 'now4']);
    await done;
    expect(closed).toEqual(['now1', 'now2', 'now3', 'now4', 'late4', 'late3', 'late2', 'late1']);
  });
});
